package io.ballast.e2e;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A backend in a JVM of its own, so it can be killed and started again as a real process (the soak's flapping
 * backend): every path answers 200 with the backend's name. {@link #main} is the process; the instance is the
 * test's handle on it, on a port that stays the same across restarts.
 */
final class BackendProcess implements AutoCloseable {
    private final String name;
    private final int port;
    private ManagedProcess process;

    private BackendProcess(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static BackendProcess start(String name) {
        BackendProcess backend = new BackendProcess(name, Ports.free());
        backend.start();
        return backend;
    }

    /** Starts the process and returns when it accepts connections. */
    void start() {
        Path classes;
        try {
            classes = Path.of(BackendProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A small heap and the fewest JIT threads: three of these share two cores with everything else in the soak.
        process = ManagedProcess.startCommand(name, List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:CICompilerCount=2",
                "-cp", classes.toString(), BackendProcess.class.getName(), name, Integer.toString(port)), Map.of());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (RawHttpConnection.getOnce("127.0.0.1", port, "/healthz", 1_000).status() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("backend " + name + " did not start:\n" + process.output(), notYet);
                }
            }
            sleep(50);
        }
    }

    /** SIGKILL: connections in flight are reset by the kernel, as in a crash. */
    void kill() {
        process.kill();
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (process != null) {
            process.kill();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The backend process: {@code BackendProcess NAME PORT}. */
    public static void main(String[] args) throws Exception {
        byte[] body = args[0].getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
