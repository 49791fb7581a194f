package io.ballast.dataplane.testing;

import io.ballast.wire.v1.WireCodec;
import io.ballast.wire.v1.WireMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A control plane reduced to its WebSocket: speaks wire v1 with the real codec and records what arrives. */
public final class FakeControlPlane {
    public static final String PATH = "/api/v1/dataplanes/connect";

    private final Vertx vertx;
    private final BlockingQueue<WireMessage> received = new LinkedBlockingQueue<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile ServerWebSocket socket;
    private volatile HttpServer server;
    private volatile int port;

    private FakeControlPlane(Vertx vertx) {
        this.vertx = vertx;
    }

    public static FakeControlPlane start(Vertx vertx) throws Exception {
        FakeControlPlane cp = new FakeControlPlane(vertx);
        cp.listen(0);
        return cp;
    }

    private void listen(int wantedPort) throws Exception {
        HttpServer s = vertx.createHttpServer().webSocketHandler(ws -> {
            if (!PATH.equals(ws.path())) {
                ws.close((short) 1008, "wrong path " + ws.path());
                return;
            }
            authorizations.add(String.valueOf(ws.headers().get("Authorization")));
            socket = ws;
            ws.textMessageHandler(text -> received.add(WireCodec.decode(text)));
        });
        server = s.listen(wantedPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    public boolean connected() {
        ServerWebSocket ws = socket;
        return ws != null && !ws.isClosed();
    }

    public void send(WireMessage message) {
        sendRaw(WireCodec.encode(message));
    }

    public void sendRaw(String frame) {
        socket.writeTextMessage(frame);
    }

    /** A binary message, e.g. a gzip-compressed frame. */
    public void sendBinary(byte[] message) {
        socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(message));
    }

    /** The next message of {@code type}, skipping others (heartbeats …); fails after {@code timeout}. */
    public <T extends WireMessage> T next(Class<T> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            WireMessage m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
            }
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    public void stop() throws Exception {
        ServerWebSocket ws = socket;
        if (ws != null) {
            ws.close();
        }
        server.close().await(10, TimeUnit.SECONDS);
    }

    public void restart() throws Exception {
        listen(port);
    }
}
