package io.ballast.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Steady GET load as its own process inside the client namespace ({@code VipLoad URL LOG STOPFILE}): two threads,
 * keep-alive HTTP/1.1 (the JDK client), one request every 10 ms each, 2 s timeout, no retries of our own. Every
 * request is one line in LOG: {@code ok <epochMillis> <body>} or {@code fail <epochMillis> <error>}. Stops when
 * STOPFILE exists, or after three minutes at most.
 */
public final class VipLoad {
    private static final long LIMIT_MILLIS = 180_000;

    private VipLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        Path stop = Path.of(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.currentTimeMillis() + LIMIT_MILLIS;
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])), true)) {
            Thread[] threads = new Thread[2];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    while (!Files.exists(stop) && System.currentTimeMillis() < deadline) {
                        String line;
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            line = r.statusCode() == 200 ? "ok " + System.currentTimeMillis() + " " + r.body()
                                    : "fail " + System.currentTimeMillis() + " status " + r.statusCode();
                        } catch (IOException e) {
                            line = "fail " + System.currentTimeMillis() + " " + e;
                        } catch (InterruptedException e) {
                            return;
                        }
                        synchronized (log) {
                            log.println(line.replace('\n', ' '));
                        }
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
