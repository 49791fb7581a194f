package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.json.BallastJson;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.PoolTls;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pool {@code protocol} and {@code healthCheck.type: grpc} / {@code service}: what is refused, and where. */
class BackendProtocolValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();
    private static final PoolTls TLS = new PoolTls(true, null, null, null, null);

    private List<String> fields(Pool pool) {
        return validator.pool(pool, "").stream().map(Violation::field).toList();
    }

    private static HealthCheck grpc(String service) {
        return new HealthCheck("grpc", null, null, null, null, null, null, null, null, null, null, service);
    }

    @Test
    void eachProtocolIsAcceptedWhereItMakesSense() {
        assertThat(fields(Pool.builder("a").protocol("http1").build())).isEmpty();
        assertThat(fields(Pool.builder("a").protocol("h2c").build())).isEmpty();
        assertThat(fields(Pool.builder("a").protocol("h2").tls(TLS).build())).isEmpty();
        assertThat(fields(Pool.builder("a").protocol("h2c").healthCheck(grpc("shop.Cart")).build())).isEmpty();
        assertThat(fields(Pool.builder("a").protocol("h2").tls(TLS).healthCheck(grpc(null)).build())).isEmpty();
    }

    @Test
    void anUnknownProtocolOrH2WithoutTlsIsRefusedAtTheField() {
        assertThat(fields(Pool.builder("a").protocol("http3").build())).containsExactly("protocol");
        assertThat(validator.pool(Pool.builder("a").protocol("h2").build(), "").get(0).message()).contains("tls.enabled");
        assertThat(fields(Pool.builder("a").protocol("h2").build())).containsExactly("protocol");
        assertThat(fields(Pool.builder("a").protocol("h2c").tls(TLS).build())).containsExactly("protocol");
    }

    @Test
    void grpcChecksNeedHttp2AndServiceIsForGrpcOnly() {
        assertThat(fields(Pool.builder("a").healthCheck(grpc(null)).build())).containsExactly("healthCheck.type");
        assertThat(fields(Pool.builder("a").protocol("h2c").healthCheck(grpc("bad name")).build())).containsExactly("healthCheck.service");
        HealthCheck httpWithService = new HealthCheck("http", null, null, null, null, null, null, null, null, null, null, "x");
        assertThat(fields(Pool.builder("a").healthCheck(httpWithService).build())).containsExactly("healthCheck.service");
        assertThat(fields(Pool.builder("a").healthCheck(new HealthCheck("udp", null, null, null, null, null, null, null, null, null, null)).build()))
                .containsExactly("healthCheck.type");
    }

    @Test
    void bothFieldsStayAbsentUnlessGivenSoOldConfigsKeepTheirHash() throws Exception {
        String json = BallastJson.canonical().writeValueAsString(Pool.named("a"));
        assertThat(json).doesNotContain("protocol").doesNotContain("service");
        Pool read = BallastJson.strict().readValue("{\"name\":\"a\",\"protocol\":\"h2c\",\"healthCheck\":{\"type\":\"grpc\",\"service\":\"s\"}}", Pool.class);
        assertThat(read.protocol()).isEqualTo("h2c");
        assertThat(read.healthCheck().service()).isEqualTo("s");
        assertThat(read.toBuilder().build()).isEqualTo(read);
    }
}
