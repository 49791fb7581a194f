package io.ballast.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotChange;
import io.ballast.model.snapshot.SnapshotIndex;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The wire additions of issue 16: hello features, delta and resync frames, spliced snapshot frames, gzip frames. */
class DeltaFramesTest {
    private static final ConfigSnapshot CONFIG = new ConfigSnapshot(
            List.of(Pool.named("web").withBackends(List.of(Backend.of("10.0.0.1", 80), Backend.of("10.0.0.2", 80)))),
            List.of(Route.of("site", "web")), List.of(new Certificate("tls", "PEM", true, null)));

    @Test
    void helloFeaturesAreOptionalBothWays() {
        Hello old = (Hello) WireCodec.decode("{\"type\":\"hello\",\"nodeId\":\"dp-1\",\"hostname\":\"h\",\"version\":\"0.1.0\"}");
        assertThat(old.features()).isEmpty();
        assertThat(old.supports(Hello.DELTA)).isFalse();
        assertThat(WireCodec.encode(old)).doesNotContain("features");
        Hello fresh = new Hello("dp-1", "h", "0.2.0", Map.of(), 3L, "abc", List.of(), List.of(Hello.DELTA, Hello.GZIP, "future"));
        Hello read = (Hello) WireCodec.decode(WireCodec.encode(fresh));
        assertThat(read).isEqualTo(fresh);
        assertThat(read.supports(Hello.GZIP)).isTrue();
    }

    @Test
    void deltaAndResyncRoundTripWithoutLeakingKeys() {
        SnapshotChange change = new SnapshotChange(CONFIG.pools(), null, CONFIG.certificates(), Set.of("old"), Set.of("gone"), null);
        SnapshotDelta delta = new SnapshotDelta(7, "h7", 6, "h6", change, Map.of("tls", "SECRET"));
        String frame = WireCodec.encode(delta);
        assertThat(frame).startsWith("{\"type\":\"delta\"").doesNotContain("\"empty\"");
        assertThat(WireCodec.decode(frame)).isEqualTo(delta);
        assertThat(delta.toString()).doesNotContain("SECRET");
        assertThat(WireCodec.decode(WireCodec.encode(new Resync(7, "no base")))).isEqualTo(new Resync(7, "no base"));
    }

    @Test
    void aSplicedSnapshotFrameReadsAsTheEncodedOne() {
        SnapshotIndex index = SnapshotIndex.of(CONFIG);
        String spliced = WireCodec.encodeSnapshot(9, index.hash(), index.canonicalJson(), Map.of("tls", "KEY"));
        SnapshotPush read = (SnapshotPush) WireCodec.decode(spliced);
        assertThat(read).isEqualTo(WireCodec.decode(WireCodec.encode(new SnapshotPush(9, CONFIG.hash(), CONFIG, Map.of("tls", "KEY")))));
        assertThat(read.config().hash()).isEqualTo(read.hash());
        assertThat(WireCodec.decode(WireCodec.encodeSnapshot(9, index.hash(), index.canonicalJson(), Map.of())))
                .isEqualTo(new SnapshotPush(9, CONFIG.hash(), CONFIG.canonical()));
    }

    @Test
    void gzipFramesRoundTripAndABombIsRefused() {
        String frame = WireCodec.encode(new SnapshotPush(1, CONFIG.hash(), CONFIG));
        assertThat(Gzip.decompress(Gzip.compress(frame), 1 << 20)).isEqualTo(frame);
        byte[] bomb = Gzip.compress("x".repeat(2_000_000));
        assertThat(bomb.length).isLessThan(10_000);
        assertThatThrownBy(() -> Gzip.decompress(bomb, 1_000_000)).isInstanceOf(WireCodec.WireFormatException.class);
        assertThatThrownBy(() -> Gzip.decompress(new byte[] {1, 2, 3}, 1000)).isInstanceOf(WireCodec.WireFormatException.class);
    }
}
