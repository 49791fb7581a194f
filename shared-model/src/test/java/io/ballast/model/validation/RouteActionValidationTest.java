package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Route;
import io.ballast.model.RouteActions.DirectResponse;
import io.ballast.model.RouteActions.HeaderEdits;
import io.ballast.model.RouteActions.PathRegex;
import io.ballast.model.RouteActions.Redirect;
import io.ballast.model.RouteActions.Rewrite;
import io.ballast.model.json.BallastJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteActionValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private List<String> fields(Route route) {
        return validator.route(route, "").stream().map(Violation::field).toList();
    }

    @Test
    void aRouteThatAnswersItselfNamesNoPool() {
        assertThat(fields(Route.of("r", null).withRedirect(new Redirect("https", null, null, null, null, 308)))).isEmpty();
        assertThat(fields(Route.of("r", null).withDirectResponse(new DirectResponse(200, "ok", null)))).isEmpty();
        assertThat(fields(Route.of("r", null).withRedirect(new Redirect(null, null, null, null, null, null)).withPool("web")))
                .containsExactly("pool");
        assertThat(fields(Route.of("r", null))).containsExactly("pool");
        assertThat(fields(Route.of("r", null).withDirectResponse(new DirectResponse(200, null, null))
                .withRewrite(new Rewrite("/x", null, null)))).containsExactly("rewrite");
    }

    @Test
    void badRedirectsAndResponsesArePointedAt() {
        assertThat(fields(Route.of("r", null).withPathExact("/a").withRedirect(new Redirect("ftp", "bad host", 0, "/x", "/y", 300))))
                .containsExactlyInAnyOrder("redirect.code", "redirect.scheme", "redirect.host", "redirect.port",
                        "redirect.prefixRewrite", "redirect.prefixRewrite");
        assertThat(fields(Route.of("r", null).withDirectResponse(new DirectResponse(99, "x".repeat(70_000), "text/plain\r\nX: 1"))))
                .containsExactlyInAnyOrder("directResponse.status", "directResponse.body", "directResponse.contentType");
    }

    @Test
    void rewritesAreChecked() {
        assertThat(fields(Route.of("r", "web").withPathPrefix("/a/").withRewrite(new Rewrite("/b/", null, "backend.internal:8080")))).isEmpty();
        assertThat(fields(Route.of("r", "web").withRewrite(new Rewrite(null, new PathRegex("^/v([0-9]+)/", "/$1/"), null)))).isEmpty();
        assertThat(fields(Route.of("r", "web").withRewrite(new Rewrite(null, new PathRegex("^/v([0-9]+)/", "/$2/"), null))))
                .containsExactly("rewrite.pathRegex.substitution");
        assertThat(fields(Route.of("r", "web").withRewrite(new Rewrite(null, new PathRegex("/a", "/b c"), "bad/host"))))
                .containsExactlyInAnyOrder("rewrite.pathRegex.substitution", "rewrite.host");
        assertThat(fields(Route.of("r", "web").withPathExact("/a").withRewrite(new Rewrite("/b", null, null))))
                .containsExactly("rewrite.pathPrefix");
    }

    @Test
    void noHeaderEditCanInjectALineOrChangeFraming() {
        HeaderEdits injecting = new HeaderEdits(
                Map.of("X-A", "one\r\nX-Injected: yes", "X-B", "two\nthree", "Bad Name", "v", "X-C", "${nope}", "X-D", "${host"),
                Map.of("Content-Length", "0", "Transfer-Encoding", "chunked", "X-E", "a\u0000b"),
                List.of("Connection", "Host", "bad:name"));
        assertThat(fields(Route.of("r", "web").withHeaders(injecting, null))).containsExactlyInAnyOrder(
                "requestHeaders.set.X-A", "requestHeaders.set.X-B", "requestHeaders.set.Bad Name", "requestHeaders.set.X-C",
                "requestHeaders.set.X-D", "requestHeaders.add.Content-Length", "requestHeaders.add.Transfer-Encoding",
                "requestHeaders.add.X-E", "requestHeaders.remove[0]", "requestHeaders.remove[1]", "requestHeaders.remove[2]");
        HeaderEdits fine = new HeaderEdits(Map.of("X-Client", "${client_ip} via ${scheme}", "X-Id", "${request_id}"),
                Map.of("X-Host", "${host}"), List.of("X-Secret"));
        assertThat(fields(Route.of("r", "web").withHeaders(fine, fine))).isEmpty();
    }

    @Test
    void actionsSurviveJson() throws Exception {
        Route route = Route.of("r", "web").withPathPrefix("/a/").withRewrite(new Rewrite("/b/", null, null))
                .withHeaders(new HeaderEdits(Map.of("X-A", "1"), null, null), new HeaderEdits(null, null, List.of("Server")));
        String json = BallastJson.canonical().writeValueAsString(route);
        assertThat(BallastJson.strict().readValue(json, Route.class)).isEqualTo(route);
        assertThat(json).doesNotContain("\"add\"").doesNotContain("redirect");
    }
}
