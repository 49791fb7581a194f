package io.ballast.controlplane.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal data plane for tests: a real WebSocket client (java.net.http) that queues text frames. */
final class WireClient implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private volatile String closeReason;

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
    private final java.util.concurrent.atomic.AtomicInteger compressed = new java.util.concurrent.atomic.AtomicInteger();
    private WebSocket socket;

    static CompletableFuture<WebSocket> connect(URI uri, String token, WebSocket.Listener listener) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(uri, listener);
    }

    static WireClient open(URI uri, String token) throws Exception {
        WireClient client = new WireClient();
        client.socket = connect(uri, token, client).get(30, TimeUnit.SECONDS);
        return client;
    }

    void send(String frame) throws Exception {
        socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
    }

    /** The next frame of {@code type}, skipping others (pings); fails after 10 s. */
    JsonNode next(String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame != null && type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
        throw new AssertionError("no '" + type + "' frame within 10 s");
    }

    /** The next frame of {@code type} within {@code millis}, skipping others; null when none came. */
    JsonNode poll(String type, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame != null && type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
        return null;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** The close code the control plane sent, waiting up to 10 s for it. */
    int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    /** The reason of the close frame; null before one arrived. */
    String closeReason() {
        return closeReason;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new AssertionError("the control plane sent a frame that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        return null;
    }

    /** A gzip binary frame (sent to data planes that announce {@code gzip}): queued as the frame it holds. */
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partialBinary.writeBytes(bytes);
        if (last) {
            try {
                JsonNode frame = JSON.readTree(io.ballast.wire.v1.Gzip.decompress(partialBinary.toByteArray(), 64 << 20));
                // Counted before it is queued: a test that has taken the frame must see it counted.
                compressed.incrementAndGet();
                frames.add(frame);
            } catch (Exception e) {
                throw new AssertionError("the control plane sent a binary frame that is not gzip JSON", e);
            }
            partialBinary.reset();
        }
        return null;
    }

    /** How many frames came compressed. */
    int compressedFrames() {
        return compressed.get();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() throws Exception {
        if (!isClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }
}
