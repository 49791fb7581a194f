package io.ballast.dataplane.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 backend on raw sockets that records each request exactly as it arrived (head, chunk framing,
 * trailers) and answers {@code 200 ok} on a keep-alive connection. It parses the framing itself (Content-Length or
 * chunked), so it knows where a request ends without waiting for silence. A path with {@code ?hold=N} is held N ms
 * before the answer. Counts requests, and how many it held at once. Thread-safe.
 */
final class RecordingBackend implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    RecordingBackend() throws IOException {
        server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "recording-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** The next request received, raw, or null if none within {@code millis}. */
    String next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    void reset() {
        received.clear();
        requests.set(0);
        maxConcurrent.set(0);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "recording-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            while (true) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                String head = readUntilBlankLine(in, raw);
                if (head == null) {
                    return;
                }
                requests.incrementAndGet();
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    String lower = head.toLowerCase(Locale.ROOT);
                    if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
                        readChunked(in, raw);
                    } else {
                        int at = lower.indexOf("\r\ncontent-length:");
                        if (at >= 0) {
                            int end = lower.indexOf("\r\n", at + 2);
                            int n = Integer.parseInt(lower.substring(at + 17, end).trim());
                            raw.write(in.readNBytes(n));
                        }
                    }
                    received.add(raw.toString(StandardCharsets.ISO_8859_1));
                    String target = head.substring(0, head.indexOf("\r\n"));
                    int hold = target.indexOf("hold=");
                    if (hold >= 0) {
                        int end = hold + 5;
                        while (end < target.length() && Character.isDigit(target.charAt(end))) {
                            end++;
                        }
                        Thread.sleep(Long.parseLong(target.substring(hold + 5, end)));
                    }
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } finally {
                    concurrent.decrementAndGet();
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the proxy hung up
        }
    }

    /** Reads a head up to and including the blank line; null at a clean end of the connection. */
    private static String readUntilBlankLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        int start = raw.size();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == start) {
                    return null;
                }
                throw new IOException("connection ended inside a head");
            }
            raw.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        byte[] all = raw.toByteArray();
        return new String(all, start, all.length - start, StandardCharsets.ISO_8859_1);
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream raw) throws IOException {
        while (true) {
            String line = readLine(in, raw);
            int semi = line.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            if (size == 0) {
                // Trailer fields, then the blank line.
                while (!readLine(in, raw).isEmpty()) {
                    // recorded in raw
                }
                return;
            }
            raw.write(in.readNBytes(size));
            readLine(in, raw);
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection ended inside a chunked body");
            }
            raw.write(b);
            if (b == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
