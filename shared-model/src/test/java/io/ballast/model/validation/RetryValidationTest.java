package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.FailureKind;
import io.ballast.model.Pool;
import io.ballast.model.RetryPolicy;
import io.ballast.model.Timeouts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private List<Violation> validate(RetryPolicy retries) {
        Pool p = Pool.named("web");
        Pool pool = new Pool(p.name(), null, null, null, null, null, null, null, retries, new Timeouts(null, Duration.ofSeconds(10), null),
                null, null, null, null, null);
        return validator.pool(pool, "");
    }

    @Test
    void everyKindIsAcceptedByItsWireName() {
        List<String> all = java.util.Arrays.stream(FailureKind.values()).map(FailureKind::wireName).toList();
        assertThat(all).containsExactly("connect-failure", "refused-stream", "reset", "gateway-error", "5xx", "timeout");
        assertThat(validate(new RetryPolicy(3, all, 20, Duration.ofSeconds(1), true))).isEmpty();
    }

    @Test
    void anUnknownKindIsRefusedAtItsIndex() {
        List<Violation> v = validate(new RetryPolicy(null, List.of("reset", "4xx"), null, null, null));
        assertThat(v).extracting(Violation::field).containsExactly("retries.on[1]");
        assertThat(v.get(0).message()).contains("connect-failure").contains("5xx").contains("timeout");
    }

    @Test
    void timeoutNeedsAPerTryTimeoutShorterThanTheRequestTimeout() {
        assertThat(validate(new RetryPolicy(null, List.of("timeout"), null, null, null)))
                .extracting(Violation::field).containsExactly("retries.perTryTimeout");
        assertThat(validate(new RetryPolicy(null, List.of("timeout"), null, Duration.ofSeconds(11), null)))
                .extracting(Violation::field).containsExactly("retries.perTryTimeout");
        assertThat(validate(new RetryPolicy(null, List.of("timeout"), null, Duration.ofMillis(500), null))).isEmpty();
    }

    @Test
    void whatEachValueCovers() {
        assertThat(FailureKind.RESET.covers(FailureKind.REFUSED_STREAM)).isTrue();
        assertThat(FailureKind.REFUSED_STREAM.covers(FailureKind.RESET)).isFalse();
        assertThat(FailureKind.GATEWAY_ERROR.covers(FailureKind.CONNECT_FAILURE)).isTrue();
        assertThat(FailureKind.GATEWAY_ERROR.covers(FailureKind.TIMEOUT)).isFalse();
        assertThat(FailureKind.GATEWAY_ERROR.coversStatus(503)).isTrue();
        assertThat(FailureKind.GATEWAY_ERROR.coversStatus(500)).isFalse();
        assertThat(FailureKind.SERVER_ERROR.coversStatus(500)).isTrue();
        assertThat(FailureKind.SERVER_ERROR.coversStatus(404)).isFalse();
        assertThat(FailureKind.CONNECT_FAILURE.coversStatus(502)).isFalse();
    }

    @Test
    void nonIdempotentStaysAbsentUnlessGivenSoOldConfigsKeepTheirHash() {
        assertThat(RetryPolicy.DEFAULT.nonIdempotent()).isNull();
        assertThat(RetryPolicy.DEFAULT.retriesNonIdempotent()).isFalse();
        assertThat(io.ballast.model.json.BallastJson.canonical().valueToTree(RetryPolicy.DEFAULT).has("nonIdempotent")).isFalse();
    }
}
