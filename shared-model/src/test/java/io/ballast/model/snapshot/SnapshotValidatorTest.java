package io.ballast.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotValidatorTest {
    private final SnapshotValidator validator = SnapshotValidator.withDefaults();

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @Test
    void aConsistentSnapshotIsValid() {
        ConfigSnapshot ok = new ConfigSnapshot(
                List.of(Pool.named("web").withBackends(List.of(Backend.of("127.0.0.1", 8081), Backend.of("127.0.0.1", 8082)))),
                List.of(Route.of("site", "web")));
        assertThat(validator.validate(ok)).isEmpty();
    }

    @Test
    void routeToAMissingPoolIsRefused() {
        List<Violation> v = validator.validate(new ConfigSnapshot(List.of(Pool.named("web")), List.of(Route.of("site", "nope"))));
        assertThat(v).extracting(Violation::field).containsExactly("routes[0].pool");
        assertThat(v.get(0).message()).contains("'nope' does not exist");
    }

    @Test
    void duplicateNamesAreRefused() {
        ConfigSnapshot dup = new ConfigSnapshot(
                List.of(Pool.named("web"), Pool.named("web").withBackends(List.of(Backend.of("10.0.0.1", 80), Backend.of("10.0.0.1", 80)))),
                List.of(Route.of("a", "web"), Route.of("a", "web")));
        assertThat(fields(validator.validate(dup))).contains("pools[1].name", "pools[1].backends[1].name", "routes[1].name");
    }

    @Test
    void badFieldsArePointedAtByPath() {
        ConfigSnapshot bad = new ConfigSnapshot(List.of(Pool.named("a"), Pool.named("b"),
                Pool.named("Bad_Name").withBackends(List.of(new Backend(null, "10.0.0.1", 70000, 2000, null, null)))), List.of());
        assertThat(fields(validator.validate(bad)))
                .contains("pools[2].name", "pools[2].backends[0].port", "pools[2].backends[0].weight");
    }

    @Test
    void linkLocalBackendsAreRefused() {
        ConfigSnapshot metadata = new ConfigSnapshot(List.of(Pool.named("a").withBackends(List.of(Backend.of("169.254.169.254", 80)))), List.of());
        assertThat(fields(validator.validate(metadata))).containsExactly("pools[0].backends[0].host");
    }

    @Test
    void requireValidCarriesEveryViolation() {
        ConfigSnapshot bad = new ConfigSnapshot(List.of(Pool.named("-x-")), List.of(Route.of("r", "nope")));
        assertThatThrownBy(() -> validator.requireValid(bad))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).violations()).hasSize(2));
    }
}
