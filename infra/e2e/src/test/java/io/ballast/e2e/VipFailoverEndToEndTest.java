package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9 of TESTING.md: a keepalived (VRRP) virtual IP in front of two real data planes, each on a host of its
 * own (a network namespace joined to a bridge), with steady GET load from a client namespace through the VIP.
 * <ul>
 *   <li>SIGTERM on the active data plane: no request fails, and the VIP has moved before that node stops
 *       accepting;</li>
 *   <li>its return: no preemption (the VIP stays), no request fails;</li>
 *   <li>SIGKILL on the active data plane: the VIP moves and traffic resumes within 2 s (failed requests are
 *       printed);</li>
 *   <li>its return: no preemption, no request fails.</li>
 * </ul>
 * Uses the shipped files ({@code infra/deploy/keepalived/}) and the launcher. Runs as root (CI is root) and fails,
 * not skips, when namespaces are not available. {@code -Dballast.ha.rounds=N} repeats the scenarios (infra/bench/ha.sh);
 * each round prints an {@code HA-RESULT} line and appends it to {@code target/ha-results.txt}.
 */
class VipFailoverEndToEndTest {
    private static final Path KEEPALIVED_DIR = ManagedProcess.ROOT.resolve("infra/deploy/keepalived");
    private static final int BACKEND_PORT = 18080;
    private static final int PROXY_PORT = 8080;
    private static final String READY_URL = "http://127.0.0.1:9901/ready";
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(3);
    private static final long MAX_SIGKILL_RESUME_MILLIS = 2000;

    private final Path work = ManagedProcess.tempDir("ballast-e2e-vip").toPath();

    @Test
    void theVipMovesOnSigtermWithNoFailedRequestOnSigkillWithinTwoSecondsAndNeverPreempts() throws Exception {
        int rounds = HaResults.rounds();
        assertThat(Files.isExecutable(Path.of("/usr/sbin/keepalived")))
                .as("keepalived is installed (infra/test.sh installs Debian's keepalived)").isTrue();
        try (Closer closer = new Closer(); Netns net = Netns.create("a", "b", "client")) {
            String vip = net.address(100);
            Map<String, Node> nodes = new HashMap<>();
            int routerId = ThreadLocalRandom.current().nextInt(1, 255);
            for (String host : List.of("a", "b")) {
                closer.later(net.start("vip-backend-" + host, host, Map.of(),
                        javaBinary(), "-Xmx64m", "-cp", Netns.testClasses().toString(), NamespaceBackend.class.getName(),
                        Integer.toString(BACKEND_PORT), "backend-" + host));
                nodes.put(host, new Node(host));
            }
            for (String host : List.of("a", "b")) {
                // The shipped host preparation: VIP on lo, ARP only for the interface's own addresses.
                assertThat(net.output(host, KEEPALIVED_DIR.resolve("prepare-host.sh").toString(), vip)).as("prepare-host.sh").isNotNull();
            }
            for (Node node : nodes.values()) {
                node.startDataPlane(net, closer);
            }
            for (Node node : nodes.values()) {
                node.awaitServing(net);
            }
            // a first, so that it is the first master; then b joins as the backup.
            nodes.get("a").startKeepalived(net, closer, routerId, 150, net.address(1), net.address(2), vip);
            await("VIP on a").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> net.holds("a", vip));
            nodes.get("b").startKeepalived(net, closer, routerId, 100, net.address(2), net.address(1), vip);
            Thread.sleep(2500); // b's check rises (rise 2) and it settles as the backup

            Path loadLog = work.resolve("load.log");
            Path stop = work.resolve("load.stop");
            closer.later(net.start("vip-load", "client", Map.of(), javaBinary(), "-Xmx64m", "-cp", Netns.testClasses().toString(),
                    VipLoad.class.getName(), "http://" + vip + ":" + PROXY_PORT + "/", loadLog.toString(), stop.toString()));
            closer.later(() -> Files.writeString(stop, "stop"));
            await("load flows through the VIP").atMost(Duration.ofSeconds(20)).until(() -> LoadLog.read(loadLog).okAfter(0, "backend-a") > 20);

            for (int round = 1; round <= rounds; round++) {
                String active = net.holds("a", vip) ? "a" : "b";
                String other = active.equals("a") ? "b" : "a";
                sigterm(net, nodes.get(active), other, vip, loadLog, round, closer);
                returns(net, nodes.get(active), other, vip, loadLog, round, "sigterm", closer);
                sigkill(net, nodes.get(other), active, vip, loadLog, round);
                returns(net, nodes.get(other), active, vip, loadLog, round, "sigkill", closer);
            }
            Files.writeString(stop, "stop");
        }
    }

    private void sigterm(Netns net, Node node, String takeover, String vip, Path loadLog, int round, Closer closer) throws Exception {
        long t0 = System.currentTimeMillis();
        node.dataPlane.terminate();
        long movedAt = -1;
        long stoppedAcceptingAt = -1;
        long deadline = t0 + 30_000;
        while (node.dataPlane.isAlive() && System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            if (movedAt < 0 && net.holds(takeover, vip) && !net.holds(node.host, vip)) {
                movedAt = now;
            }
            if (stoppedAcceptingAt < 0 && !net.listening(node.host, PROXY_PORT)) {
                stoppedAcceptingAt = now;
            }
            Thread.sleep(20);
        }
        assertThat(node.dataPlane.isAlive()).as("the drained data plane exits").isFalse();
        if (stoppedAcceptingAt < 0) {
            stoppedAcceptingAt = System.currentTimeMillis();
        }
        assertThat(movedAt).as("the VIP moved while the node drained").isPositive();
        assertThat(movedAt).as("the VIP moves before the node stops accepting").isLessThan(stoppedAcceptingAt);
        Thread.sleep(1000);
        LoadLog load = LoadLog.read(loadLog);
        assertThat(load.okAfter(movedAt, "backend-" + takeover)).as("the new holder serves").isPositive();
        record(round, "sigterm", movedAt - t0, load.failuresBetween(t0, System.currentTimeMillis()),
                "stopped accepting after " + (stoppedAcceptingAt - t0) + " ms");
        assertThat(load.failureLines(t0, System.currentTimeMillis())).as("failed requests on SIGTERM").isEmpty();
    }

    private void sigkill(Netns net, Node node, String takeover, String vip, Path loadLog, int round) throws Exception {
        long t0 = System.currentTimeMillis();
        node.dataPlane.killNow();
        await("VIP moves to " + takeover).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> net.holds(takeover, vip));
        long movedAt = System.currentTimeMillis();
        await("traffic resumes").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> LoadLog.read(loadLog).firstOkAfter(t0, "backend-" + takeover) > 0);
        Thread.sleep(1000);
        LoadLog load = LoadLog.read(loadLog);
        long resumedAfter = load.firstOkAfter(t0, "backend-" + takeover) - t0;
        int failed = load.failuresBetween(t0, System.currentTimeMillis());
        record(round, "sigkill", movedAt - t0, failed, "traffic resumed after " + resumedAfter + " ms");
        assertThat(resumedAfter).as("traffic resumes within 2 s of the SIGKILL").isLessThanOrEqualTo(MAX_SIGKILL_RESUME_MILLIS);
        long lastFailure = load.lastFailureBetween(t0, System.currentTimeMillis());
        assertThat(lastFailure - t0).as("no failure after the takeover window: " + load.failureLines(t0, System.currentTimeMillis()))
                .isLessThanOrEqualTo(MAX_SIGKILL_RESUME_MILLIS);
    }

    /** The stopped node's data plane comes back: it becomes ready, its keepalived a backup; the VIP stays. */
    private void returns(Netns net, Node node, String holder, String vip, Path loadLog, int round, String after, Closer closer)
            throws Exception {
        long t0 = System.currentTimeMillis();
        node.startDataPlane(net, closer);
        node.awaitServing(net);
        long until = System.currentTimeMillis() + 4000; // past rise 2 with margin
        while (System.currentTimeMillis() < until) {
            assertThat(net.holds(holder, vip)).as("no preemption: the VIP stays on " + holder).isTrue();
            Thread.sleep(100);
        }
        assertThat(net.holds(node.host, vip)).isFalse();
        LoadLog load = LoadLog.read(loadLog);
        record(round, "return-after-" + after, 0, load.failuresBetween(t0, System.currentTimeMillis()), "VIP stayed on " + holder);
        assertThat(load.failureLines(t0, System.currentTimeMillis())).as("failed requests when the old node returns").isEmpty();
    }

    private static void record(int round, String scenario, long failoverMillis, int failed, String note) {
        HaResults.record(round, scenario, failoverMillis, failed, note);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** One data-plane host: its data plane (restartable) and its keepalived. */
    private final class Node {
        final String host;
        final Path cache;
        ManagedProcess dataPlane;
        int starts;

        Node(String host) throws IOException {
            this.host = host;
            this.cache = work.resolve("cache-" + host);
            CacheFile.write(cache, config());
        }

        void startDataPlane(Netns net, Closer closer) {
            starts++;
            Map<String, String> env = new HashMap<>(Map.of(
                    "BALLAST_CP_URLS", "http://127.0.0.1:1",
                    "BALLAST_NODE_ID", "vip-" + host,
                    "BALLAST_LISTEN", "0.0.0.0:" + PROXY_PORT,
                    "BALLAST_ADMIN_LISTEN", "127.0.0.1:9901",
                    "BALLAST_CACHE_DIR", cache.toString(),
                    "BALLAST_EVENT_LOOPS", "1",
                    "BALLAST_DRAIN_DELAY", DRAIN_DELAY.toMillis() + "ms",
                    "BALLAST_SHUTDOWN_GRACE", "5s",
                    "BALLAST_ACCESS_LOG", "off"));
            dataPlane = closer.later(net.start("vip-dp-" + host + "-" + starts, host, env, DataPlane.LAUNCHER.toString()));
        }

        void awaitServing(Netns net) {
            await("data plane on " + host + " serves").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!dataPlane.isAlive()) {
                    throw new AssertionError("data plane on " + host + " exited:\n" + dataPlane.output());
                }
                String body = net.output(host, "curl", "-fsS", "--max-time", "1", "http://127.0.0.1:" + PROXY_PORT + "/");
                return ("backend-" + host).equals(body) && net.output(host, "curl", "-fsS", "--max-time", "1", READY_URL) != null;
            });
        }

        /** keepalived with the shipped template (rendered by the shipped render.sh) and check script. */
        void startKeepalived(Netns net, Closer closer, int routerId, int priority, String self, String peer, String vip)
                throws Exception {
            Path conf = work.resolve("keepalived-" + host + ".conf");
            ProcessBuilder pb = new ProcessBuilder(KEEPALIVED_DIR.resolve("render.sh").toString()).redirectOutput(conf.toFile());
            pb.environment().putAll(Map.of("NODE_NAME", "vip-" + host, "INTERFACE", "eth0", "ROUTER_ID", Integer.toString(routerId),
                    "PRIORITY", Integer.toString(priority), "SELF_IP", self, "PEER_IP", peer, "VIP", vip + "/24",
                    "CHECK_SCRIPT", KEEPALIVED_DIR.resolve("check-ready.sh").toString(), "READY_URL", READY_URL));
            Process p = pb.start();
            assertThat(p.waitFor()).as("render.sh").isZero();
            closer.later(net.start("vip-keepalived-" + host, host, Map.of(), "/usr/sbin/keepalived", "--dont-fork", "--log-console",
                    "--log-detail", "--vrrp", "-f", conf.toString(), "-p", work.resolve("ka-" + host + ".pid").toString(),
                    "-r", work.resolve("ka-vrrp-" + host + ".pid").toString()));
        }
    }

    /** A pool of the namespace's own backend on 127.0.0.1, routed for every host. */
    private static ConfigSnapshot config() {
        return ConfigSnapshot.fromJson("""
                {"pools": [{"name": "web", "healthCheck": {"path": "/", "interval": "1s", "healthyThreshold": 1},
                  "backends": [{"name": "local", "host": "127.0.0.1", "port": %d}]}],
                 "routes": [{"name": "site", "pool": "web"}]}""".formatted(BACKEND_PORT));
    }

    /** The data plane's snapshot cache file (data-plane SnapshotCache, format 1), so a node is ready with no control plane. */
    private static final class CacheFile {
        static void write(Path dir, ConfigSnapshot config) throws IOException {
            String canonical = config.canonicalJson();
            String hash = ConfigSnapshot.sha256(canonical);
            ObjectNode file = E2e.JSON.createObjectNode();
            file.put("format", 1).put("revision", 1).put("hash", hash)
                    .put("checksum", ConfigSnapshot.sha256(1 + "\n" + hash + "\n" + canonical));
            file.set("config", E2e.JSON.readTree(canonical));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("snapshot.json"), file.toString());
        }
    }

    /** The load process's log: one line per request. */
    private record LoadLog(List<String[]> lines) {
        static LoadLog read(Path file) throws IOException {
            List<String[]> lines = new ArrayList<>();
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file)) {
                    String[] parts = l.split(" ", 3);
                    if (parts.length == 3) {
                        lines.add(parts);
                    }
                }
            }
            return new LoadLog(lines);
        }

        long okAfter(long t, String body) {
            return lines.stream().filter(l -> l[0].equals("ok") && Long.parseLong(l[1]) >= t && l[2].equals(body)).count();
        }

        long firstOkAfter(long t, String body) {
            return lines.stream().filter(l -> l[0].equals("ok") && Long.parseLong(l[1]) >= t && l[2].equals(body))
                    .mapToLong(l -> Long.parseLong(l[1])).min().orElse(-1);
        }

        int failuresBetween(long from, long to) {
            return failureLines(from, to).size();
        }

        List<String> failureLines(long from, long to) {
            return lines.stream().filter(l -> l[0].equals("fail") && Long.parseLong(l[1]) >= from && Long.parseLong(l[1]) <= to)
                    .map(l -> String.join(" ", l)).toList();
        }

        long lastFailureBetween(long from, long to) {
            return lines.stream().filter(l -> l[0].equals("fail") && Long.parseLong(l[1]) >= from && Long.parseLong(l[1]) <= to)
                    .mapToLong(l -> Long.parseLong(l[1])).max().orElse(from);
        }
    }
}
