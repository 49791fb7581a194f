package io.ballast.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTextTest {
    @Test
    void aProblemIsOneSentenceThenOneLinePerFieldError() {
        ApiProblem p = ApiProblem.of(422, """
                {"type":"https://ballast.io/problems/validation","title":"Invalid configuration","status":422,
                 "detail":"pools[0].port: must be between 1 and 65535 (and 1 more)",
                 "errors":[{"field":"pools[0].port","message":"must be between 1 and 65535"},
                           {"field":"routes[0].pool","message":"pool 'x' does not exist"}]}""");
        assertThat(p.getMessage().lines().toList()).containsExactly(
                "Invalid configuration (HTTP 422): 2 errors.",
                "  - pools[0].port: must be between 1 and 65535",
                "  - routes[0].pool: pool 'x' does not exist");
    }

    @Test
    void aDetailThatSaysSomethingElseIsKept() {
        ApiProblem p = ApiProblem.of(409, """
                {"title":"Unsafe change refused","status":409,"detail":"pool web would have no enabled backend; add ?force=true",
                 "errors":[{"field":"web","message":"no enabled backend left"}]}""");
        assertThat(p.getMessage()).startsWith("Unsafe change refused (HTTP 409): pool web would have no enabled backend; add ?force=true.")
                .contains("  - web: no enabled backend left");
    }

    @Test
    void fieldsCanBeRelocatedIntoFiles() {
        ApiProblem p = ApiProblem.of(422, "{\"title\":\"Invalid configuration\",\"errors\":[{\"field\":\"pools[0].port\",\"message\":\"bad\"}]}")
                .withFields(f -> "a.yaml: " + f);
        assertThat(p.getMessage()).contains("  - a.yaml: pools[0].port: bad");
        assertThat(p.status()).isEqualTo(422);
    }

    @Test
    void anAnswerThatIsNotAProblemStillReadsAsASentence() {
        assertThat(ApiProblem.of(502, "<html>Bad Gateway</html>").getMessage())
                .isEqualTo("The control plane is unavailable (HTTP 502): <html>Bad Gateway</html>.");
        assertThat(ApiProblem.of(404, "").getMessage()).isEqualTo("Not found (HTTP 404).");
    }
}
