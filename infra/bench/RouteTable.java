import io.ballast.dataplane.config.SnapshotCache;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.RequestMatch;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the snapshot cache of a data plane for routes.sh: one pool of the given backends and either the one
 * route the load uses, or that route among {@code n - 1} others (exact hosts, wildcard hosts, and prefixes with
 * header conditions on the load's own host), so the table is large where it could cost: beside the route the
 * load takes. Run with the data-plane jar on the class path:
 * {@code java -cp ballast-data-plane.jar RouteTable.java N DIR HOST PORT...}.
 */
public final class RouteTable {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("--lookup")) {
            lookup(Integer.parseInt(args[1]));
            return;
        }
        if (args[0].equals("--pools")) {
            writeFleet(args);
            return;
        }
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        String host = args[2];
        List<Backend> backends = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            backends.add(Backend.of("127.0.0.1", Integer.parseInt(args[i])));
        }
        ConfigSnapshot snapshot = snapshot(n, host, backends);
        SnapshotValidator.withDefaults().requireValid(snapshot);
        new SnapshotCache(dir).write(1, snapshot.hash(), snapshot);
        System.out.println(dir + ": " + snapshot.routes().size() + " routes");
    }

    /**
     * The cost of the lookup alone, in one JVM: ns per {@code RoutingTable.match} for the load's request against
     * a 1-route and an {@code n}-route table, alternating, after a warm-up. Less exposed to a busy machine
     * than req/s, since both tables run in the same process, interleaved.
     */
    static void lookup(int n) {
        List<Backend> backends = List.of(Backend.of("127.0.0.1", 8080));
        var live = new io.ballast.dataplane.upstream.LiveBackends(System::currentTimeMillis);
        var one = io.ballast.dataplane.routing.RoutingTable.build(snapshot(1, "bench.example.com", backends), live);
        var many = io.ballast.dataplane.routing.RoutingTable.build(snapshot(n, "bench.example.com", backends), live);
        var request = new io.netty.handler.codec.http.DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpMethod.GET, "/");
        request.headers().set("Host", "bench.example.com");
        long[][] ns = new long[2][7];
        for (int round = -3; round < 7; round++) {
            for (int t = 0; t < 2; t++) {
                var table = t == 0 ? one : many;
                long start = System.nanoTime();
                int hits = 0;
                for (int i = 0; i < 2_000_000; i++) {
                    hits += table.match("bench.example.com", "/", request) != null ? 1 : 0;
                }
                if (hits != 2_000_000) {
                    throw new AssertionError("the load's route did not match");
                }
                if (round >= 0) {
                    ns[t][round] = (System.nanoTime() - start) / 2_000_000;
                }
            }
        }
        java.util.Arrays.sort(ns[0]);
        java.util.Arrays.sort(ns[1]);
        System.out.printf("| lookup | 1 route: %d ns | %d routes: %d ns | ratio %.2f |%n", ns[0][3], n, ns[1][3],
                (double) ns[1][3] / Math.max(1, ns[0][3]));
    }

    /**
     * {@code --pools P B DIR HOST PORT...}: a config of {@code P} pools of {@code B} backends each, for memory.sh. The
     * first pool is the load's (the given ports, route on HOST); the others point at addresses of 127.1.0.0/16 where
     * nothing listens (their health checks fail fast, as a fleet's config would be held, probed and routed), each
     * with its own route host.
     */
    static void writeFleet(String[] args) throws Exception {
        int pools = Integer.parseInt(args[1]);
        int perPool = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        String host = args[4];
        List<Backend> load = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            load.add(Backend.of("127.0.0.1", Integer.parseInt(args[i])));
        }
        HealthCheck check = new HealthCheck(null, null, "/", null, null, Duration.ofSeconds(5), null, null, null, null, null);
        List<Pool> allPools = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        allPools.add(Pool.named("bench").withHealthCheck(check).withBackends(load));
        routes.add(Route.of("bench", "bench").withHosts(List.of(host)));
        int address = 0;
        for (int p = 1; p < pools; p++) {
            List<Backend> backends = new ArrayList<>();
            for (int b = 0; b < perPool; b++, address++) {
                backends.add(Backend.of("127.1." + (address / 250) + "." + (1 + address % 250), 8080));
            }
            allPools.add(Pool.named("p" + p).withHealthCheck(check).withBackends(backends));
            routes.add(Route.of("r" + p, "p" + p).withHosts(List.of("p" + p + ".example.com")));
        }
        ConfigSnapshot snapshot = new ConfigSnapshot(allPools, routes);
        SnapshotValidator.withDefaults().requireValid(snapshot);
        new SnapshotCache(dir).write(1, snapshot.hash(), snapshot);
        int total = allPools.stream().mapToInt(pool -> pool.backends().size()).sum();
        System.out.println(dir + ": " + allPools.size() + " pools, " + total + " backends");
    }

    static ConfigSnapshot snapshot(int n, String host, List<Backend> backends) {
        HealthCheck check = new HealthCheck(null, null, "/", null, null, Duration.ofSeconds(5), null, null, null, null, null);
        Pool pool = Pool.named("bench").withHealthCheck(check).withBackends(backends);
        List<Route> routes = new ArrayList<>();
        routes.add(Route.of("bench", "bench").withHosts(List.of(host)));
        for (int i = 1; i < n; i++) {
            String name = "r" + i;
            Route r = switch (i % 10) {
                // Routes of the load's host: each a prefix it does not take, half of them with a header condition.
                case 0 -> Route.of(name, "bench").withHosts(List.of(host)).withPathPrefix("/p" + i + "/")
                        .withMatch(i % 20 == 0 ? new RequestMatch(null, List.of(
                                new RequestMatch.HeaderMatch("X-Tenant", "t" + i, null, null, null, null)), null) : null);
                case 1 -> Route.of(name, "bench").withHosts(List.of("*.w" + i + ".example.com"));
                default -> Route.of(name, "bench").withHosts(List.of("h" + i + ".example.com")).withPathPrefix("/api/");
            };
            routes.add(r);
        }
        return new ConfigSnapshot(List.of(pool), routes);
    }
}
