package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.json.BallastJson;
import org.junit.jupiter.api.Test;

/** {@code healthCheck.probers}: its range, its default, and its JSON. */
class ProbersValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private static HealthCheck probers(Integer n) {
        return new HealthCheck(null, null, null, null, null, null, null, null, null, null, null, null, n);
    }

    @Test
    void zeroOrTooManyProbersIsRefusedAtTheField() {
        assertThat(validator.pool(Pool.builder("a").healthCheck(probers(0)).build(), "")).extracting(Violation::field)
                .containsExactly("healthCheck.probers");
        assertThat(validator.pool(Pool.builder("a").healthCheck(probers(1001)).build(), "")).extracting(Violation::field)
                .containsExactly("healthCheck.probers");
        assertThat(validator.pool(Pool.builder("a").healthCheck(probers(1)).build(), "")).isEmpty();
    }

    @Test
    void theDefaultIsEveryDataPlaneUpToFiveThenThree() {
        assertThat(HealthCheck.DEFAULT.probersAmong(1)).isEqualTo(1);
        assertThat(HealthCheck.DEFAULT.probersAmong(5)).isEqualTo(5);
        assertThat(HealthCheck.DEFAULT.probersAmong(6)).isEqualTo(3);
        assertThat(probers(2).probersAmong(10)).isEqualTo(2);
        assertThat(probers(7).probersAmong(4)).isEqualTo(4);
    }

    @Test
    void probersIsAbsentFromJsonUntilSetAndReadBack() throws Exception {
        var mapper = BallastJson.strict();
        assertThat(mapper.writeValueAsString(HealthCheck.DEFAULT)).doesNotContain("probers");
        String json = mapper.writeValueAsString(probers(2));
        assertThat(json).contains("\"probers\":2");
        assertThat(mapper.readValue(json, HealthCheck.class).probers()).isEqualTo(2);
    }
}
