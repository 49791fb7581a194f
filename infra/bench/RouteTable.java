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
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        String host = args[2];
        List<Backend> backends = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            backends.add(Backend.of("127.0.0.1", Integer.parseInt(args[i])));
        }
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
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(pool), routes);
        SnapshotValidator.withDefaults().requireValid(snapshot);
        new SnapshotCache(dir).write(1, snapshot.hash(), snapshot);
        System.out.println(dir + ": " + routes.size() + " routes");
    }
}
