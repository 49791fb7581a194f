package io.ballast.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.SnapshotDiff.Kind;
import io.ballast.model.snapshot.SnapshotDiff.ResourceChange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {
    private static final Backend A = Backend.of("10.0.0.1", 80).withName("a");
    private static final Backend B = Backend.of("10.0.0.2", 80).withName("b");

    @Test
    void equalSnapshotsHaveNoChanges() {
        ConfigSnapshot s = new ConfigSnapshot(List.of(Pool.named("web").withBackends(List.of(A, B))), List.of(Route.of("r", "web")));
        assertThat(SnapshotDiff.between(s, s.canonical()).isEmpty()).isTrue();
    }

    @Test
    void reportsEachResourceWithFieldLevelChanges() {
        ConfigSnapshot before = new ConfigSnapshot(List.of(Pool.named("web").withBackends(List.of(A, B))), List.of(Route.of("old", "web")));
        Pool changed = Pool.named("web")
                .withHealthCheck(new HealthCheck(null, null, "/healthz", null, null, Duration.ofSeconds(2), null, null, null, null, null))
                .withBackends(List.of(A.withAdminState(AdminState.DRAINING)));
        ConfigSnapshot after = new ConfigSnapshot(List.of(changed, Pool.named("api")), List.of(Route.of("new", "web")));

        SnapshotDiff diff = SnapshotDiff.between(before, after);

        assertThat(diff.changes()).extracting(ResourceChange::type, ResourceChange::name, ResourceChange::change).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pool", "api", Kind.created),
                org.assertj.core.groups.Tuple.tuple("pool", "web", Kind.updated),
                org.assertj.core.groups.Tuple.tuple("backend", "web/a", Kind.updated),
                org.assertj.core.groups.Tuple.tuple("backend", "web/b", Kind.deleted),
                org.assertj.core.groups.Tuple.tuple("route", "new", Kind.created),
                org.assertj.core.groups.Tuple.tuple("route", "old", Kind.deleted));
        ResourceChange web = diff.changes().get(1);
        assertThat(web.fields()).extracting(SnapshotDiff.FieldChange::field).containsExactly("healthCheck.interval", "healthCheck.path");
        assertThat(web.fields().get(0).before().asText()).isEqualTo("5s");
        assertThat(web.fields().get(0).after().asText()).isEqualTo("2s");
        ResourceChange drained = diff.changes().get(2);
        assertThat(drained.fields()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("adminState");
            assertThat(f.after().asText()).isEqualTo("draining");
        });
        assertThat(diff.summary()).isEqualTo(new SnapshotDiff.Summary(2, 2, 2));
    }
}
