package io.ballast.dataplane.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's HAProxy started by the test on loopback in front of the same raw backend, as the reference for
 * what a hardened proxy does with the same bytes. Missing HAProxy is a failure with the fix in the message,
 * never a skip.
 */
final class Haproxy implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Haproxy start(Path dir, int backendPort) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("HAProxy is needed by the conformance tests as the reference proxy: "
                    + "run `apt-get install -y haproxy` (Debian) and try again");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                  maxconn 200
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 5s
                  timeout server 5s
                  timeout http-request 2s
                  option forwardfor
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend be
                backend be
                  server b1 127.0.0.1:%d
                """.formatted(port, backendPort));
        Process p = new ProcessBuilder(BINARY.toString(), "-f", cfg.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new Haproxy(p, port);
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("HAProxy exited: " + Files.readString(dir.resolve("haproxy.log")));
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
