package io.ballast.dataplane.config;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.push;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.FakeControlPlane;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotChange;
import io.ballast.model.snapshot.SnapshotIndex;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.Gzip;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Resync;
import io.ballast.wire.v1.SnapshotDelta;
import io.ballast.wire.v1.WireCodec;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deltas and compressed frames, against a fake control plane over a real WebSocket: the data plane says it
 * takes both, applies a delta to the revision it names and checks the resulting hash, answers {@code resync}
 * (changing nothing) when the base is unknown or the hash does not match, reads gzip binary frames, and
 * acks a confirming empty delta without rebuilding.
 */
class DeltaPushIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private TestBackend a;
    private TestBackend b;
    private FakeControlPlane cp;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        cp = FakeControlPlane.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        if (dp != null) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void awaitServedBy(String backend) {
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));
        await().atMost(WAIT).ignoreExceptions().until(() -> client.get("/").body().equals(backend));
    }

    private long appliedRevision() throws Exception {
        return new TestClient(dp.adminAddress().port()).get("/status").json().getLong("appliedRevision");
    }

    @Test
    void deltasApplyOnTheirBaseAndAMismatchAsksForTheFullSnapshot() throws Exception {
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("node-1", cacheDir)
                .withControlPlaneUrls(List.of(URI.create(cp.url())), "dp-secret"));
        Hello hello = cp.next(Hello.class, WAIT);
        assertThat(hello.supports(Hello.DELTA)).isTrue();
        assertThat(hello.supports(Hello.GZIP)).isTrue();
        ConfigSnapshot five = snapshot(List.of(pool("web", a)), List.of(route("site", "web")));
        cp.send(push(5, five));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(5, five.hash()));
        awaitServedBy("a");

        // 6: the pool now points at b, sent as a delta from 5.
        SnapshotIndex base = SnapshotIndex.of(five);
        ConfigSnapshot six = snapshot(List.of(pool("web", b)), List.of(route("site", "web")));
        SnapshotIndex sixIndex = SnapshotIndex.of(six);
        cp.send(new SnapshotDelta(6, sixIndex.hash(), 5, base.hash(), sixIndex.changesSince(base), null));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(6, six.hash()));
        awaitServedBy("b");

        // A delta whose result does not hash as announced changes nothing and asks for the full snapshot.
        SnapshotChange moveRoute = new SnapshotChange(null, List.of(new Route("site", List.of("other.example"), null, null, "web", null)),
                null, null, null, null);
        cp.send(new SnapshotDelta(7, "0".repeat(64), 6, sixIndex.hash(), moveRoute, null));
        assertThat(cp.next(Resync.class, WAIT).revision()).isEqualTo(7);
        assertThat(appliedRevision()).isEqualTo(6);
        awaitServedBy("b");

        // So does a delta from a revision this node never ran.
        cp.send(new SnapshotDelta(8, sixIndex.hash(), 3, "f".repeat(64), SnapshotChange.NONE, null));
        assertThat(cp.next(Resync.class, WAIT).reason()).contains("base revision 3");

        // The full snapshot, compressed: read and applied like a text frame.
        ConfigSnapshot nine = snapshot(List.of(pool("web", a), pool("spare", b)), List.of(route("site", "web")));
        cp.sendBinary(Gzip.compress(WireCodec.encode(push(9, nine))));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(9, nine.hash()));
        awaitServedBy("a");

        // A delta from a revision a little older than the newest still applies (the control plane bases deltas on acks).
        ConfigSnapshot ten = snapshot(List.of(pool("web", b)), List.of(route("site", "web")));
        SnapshotIndex tenIndex = SnapshotIndex.of(ten);
        SnapshotChange fromSix = tenIndex.changesSince(sixIndex);
        assertThat(fromSix.isEmpty()).as("10 is 6 again").isTrue();
        SnapshotChange fromNine = tenIndex.changesSince(SnapshotIndex.of(nine));
        assertThat(fromNine.removedPools()).isEqualTo(Set.of("spare"));
        cp.send(new SnapshotDelta(10, tenIndex.hash(), 6, sixIndex.hash(), fromSix, null));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(10, ten.hash()));
        awaitServedBy("b");

        // A confirming empty delta (what a reconnect gets when nothing changed) is acked without a rebuild.
        var table = dp.config().current().table();
        cp.send(new SnapshotDelta(10, tenIndex.hash(), 10, tenIndex.hash(), SnapshotChange.NONE, null));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(10, ten.hash()));
        assertThat(dp.config().current().table()).isSameAs(table);
        assertThat(new SnapshotCache(cacheDir).load().orElseThrow().revision()).isEqualTo(10);
    }
}
