import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failover measurement: GETs at a fixed rate through the proxy, SIGKILL of one backend process part-way,
 * and the data plane's /metrics polled every 10 ms to see the last attempt sent to the killed backend and when
 * it left rotation. Bounded: the load stops after the given seconds. Prints key=value lines.
 *
 * run: java Failover.java PROXY_URL DP_ADMIN_URL VICTIM_NAME VICTIM_PID RATE SECONDS KILL_AFTER_SECONDS
 */
public class Failover {
    public static void main(String[] args) throws Exception {
        String proxy = args[0];
        String admin = args[1];
        String victim = args[2];
        long victimPid = Long.parseLong(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int killAfter = Integer.parseInt(args[6]);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
        int total = rate * seconds;
        long periodMicros = 1_000_000L / rate;
        timer.scheduleAtFixedRate(() -> {
            if (sent.incrementAndGet() > total) {
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(proxy + "/failover")).timeout(Duration.ofSeconds(10)).GET().build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e == null && r.statusCode() == 200) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    failures.merge(e != null ? e.getClass().getSimpleName() : "HTTP " + r.statusCode(), 1, Integer::sum);
                }
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);

        Thread.sleep(killAfter * 1000L);
        long before = attempts(client, admin, victim);
        long killedAt = System.nanoTime();
        ProcessHandle.of(victimPid).orElseThrow(() -> new IllegalStateException("no process " + victimPid)).destroyForcibly();
        long lastCount = before;
        long lastAttemptAt = killedAt;
        long outOfRotationAt = -1;
        while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(seconds - killAfter)) {
            String metrics = get(client, admin + "/metrics");
            long now = System.nanoTime();
            long count = attempts(metrics, victim);
            if (count != lastCount) {
                lastCount = count;
                lastAttemptAt = now;
            }
            if (outOfRotationAt < 0 && up(metrics, victim) == 0) {
                outOfRotationAt = now;
            }
            Thread.sleep(10);
        }
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (ok.get() + failed.get() < Math.min(sent.get(), total) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.out.println("requests=" + Math.min(sent.get(), total));
        System.out.println("ok=" + ok.get());
        System.out.println("failed=" + failed.get());
        System.out.println("failures=" + failures);
        System.out.println("attempts_to_victim_after_kill=" + (lastCount - before));
        System.out.println("kill_to_last_attempt_ms=" + TimeUnit.NANOSECONDS.toMillis(lastAttemptAt - killedAt));
        System.out.println("kill_to_out_of_rotation_ms=" + (outOfRotationAt < 0 ? "never" : TimeUnit.NANOSECONDS.toMillis(outOfRotationAt - killedAt)));
        System.exit(0);
    }

    private static String get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long attempts(HttpClient client, String admin, String victim) throws Exception {
        return attempts(get(client, admin + "/metrics"), victim);
    }

    /** Every attempt the proxy sent to the backend: answers of every class plus attempts with no answer. */
    private static long attempts(String metrics, String victim) {
        Matcher m = Pattern.compile("^ballast_backend_requests_total\\{[^}]*backend=\"" + Pattern.quote(victim) + "\"[^}]*} (\\d+)$",
                Pattern.MULTILINE).matcher(metrics);
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    private static int up(String metrics, String victim) {
        Matcher m = Pattern.compile("^ballast_backend_up\\{[^}]*backend=\"" + Pattern.quote(victim) + "\"} (\\d+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
