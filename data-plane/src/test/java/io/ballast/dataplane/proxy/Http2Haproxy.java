package io.ballast.dataplane.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's HAProxy with an h2c frontend ({@code proto h2}, prior knowledge) in front of a backend, as the
 * reference for what a hardened proxy does with the same HTTP/2 frames. Missing HAProxy is a failure with the
 * fix in the message, never a skip.
 */
final class Http2Haproxy implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Http2Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Http2Haproxy start(Path dir, int backendPort) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("HAProxy is the reference proxy of the HTTP/2 hardening tests: "
                    + "run `apt-get install -y haproxy` (Debian) and try again");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path cfg = dir.resolve("haproxy-h2.cfg");
        Files.writeString(cfg, """
                global
                  maxconn 5000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  timeout http-request 2s
                frontend fe
                  bind 127.0.0.1:%d proto h2
                  default_backend be
                backend be
                  http-reuse always
                  server b1 127.0.0.1:%d
                """.formatted(port, backendPort));
        Process p = new ProcessBuilder(BINARY.toString(), "-f", cfg.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy-h2.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new Http2Haproxy(p, port);
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("HAProxy exited: " + Files.readString(dir.resolve("haproxy-h2.log")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("HAProxy did not listen within 10 s");
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
