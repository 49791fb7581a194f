package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A corpus of malformed requests sent to every write endpoint: broken JSON, wrong types, unknown
 * fields, huge numbers and bodies, bad names, control characters and injection strings. Every
 * answer must be a 4xx problem document, never a 500, and the stored configuration, its revisions
 * and the tokens must be exactly as before.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class BadInputCorpusTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private String pool;
    private String route;
    private String certificate;

    /** Bodies that no write endpoint may accept. */
    static List<String> bodies() {
        List<String> out = new ArrayList<>(List.of(
                // broken JSON
                "{", "}", "[", "{\"name\":", "{\"name\":\"x\",}", "{'name':'x'}", "not json", "<xml/>", "{\"name\":\"x\"}}",
                "{\"a\":1 \"b\":2}", "{\"name\":\"x\"/*c*/}", "NaN", "{\"name\":undefined}", "{\"name\":\"\\x41\"}",
                "{\"name\":\"\\u12\"}", "\u0000", "\ufeff{\"name\":\"Bad!\"}", "{\"name\":\"a\u0001b\"}", "{\"name\":\"a\nb\"}",
                "{\"name\":\"ok\"\u0000}", "{\"name\":01}", "{\"name\":--1}", "{\"name\":.5}",
                // not an object at all
                "[]", "[1,2]", "\"string\"", "42", "true", "null", "1e999", "[{\"name\":\"x\"}]",
                // unknown fields
                "{\"name\":\"Bad!\",\"unknownField\":1}", "{\"__proto__\":{\"admin\":true}}", "{\"constructor\":{\"prototype\":{}}}",
                "{\"$where\":\"1==1\"}", "{\"id\":1,\"version\":99}", "{\"createdAt\":\"2020-01-01T00:00:00Z\"}",
                "{\"Name\":\"x\"}", "{\"name \":\"x\"}", "{\"\":\"x\"}",
                // wrong types and values
                "{\"name\":\"Bad!\",\"panicThresholdPercent\":\"many\"}", "{\"name\":\"Bad!\",\"algorithm\":\"fastest\"}",
                "{\"name\":\"Bad!\",\"algorithm\":7}", "{\"name\":\"Bad!\",\"healthCheck\":\"yes\"}",
                "{\"name\":\"Bad!\",\"healthCheck\":{\"interval\":\"soon\"}}", "{\"name\":\"Bad!\",\"healthCheck\":{\"interval\":-5}}",
                "{\"name\":\"Bad!\",\"backends\":{}}", "{\"name\":\"Bad!\",\"backends\":\"x\"}", "{\"name\":\"Bad!\",\"backends\":[null]}",
                "{\"name\":\"Bad!\",\"backends\":[1]}", "{\"name\":\"Bad!\",\"labels\":[]}", "{\"name\":\"Bad!\",\"labels\":{\"a\":{\"b\":1}}}",
                "{\"name\":\"Bad!\",\"labels\":{\"a\":null}}", "{\"name\":\"Bad!\",\"hosts\":\"x\"}", "{\"name\":\"Bad!\",\"hosts\":[[1]]}",
                "{\"name\":\"Bad!\",\"priority\":\"high\"}", "{\"name\":\"Bad!\",\"stripPrefix\":\"maybe\"}",
                "{\"name\":\"Bad!\",\"adminState\":\"on\"}", "{\"name\":\"Bad!\",\"timeouts\":{\"connect\":\"1y\"}}",
                "{\"name\":\"Bad!\",\"retries\":{\"attempts\":\"x\"}}", "{\"name\":\"Bad!\",\"slowStart\":true}",
                "{\"name\":\"Bad!\",\"maxConnectionsPerBackend\":1.5}", "{\"name\":[\"a\"]}", "{\"name\":{\"a\":1}}",
                "{\"name\":\"A\",\"name\":\"B\"}", "{\"name\":\"Bad!\",\"port\":\"eighty\"}", "{\"name\":\"Bad!\",\"weight\":-1}",
                "{\"name\":\"Bad!\",\"role\":[\"admin\"]}", "{\"pools\":\"all\"}", "{\"pools\":[{\"name\":\"x\",\"backends\":[{\"port\":\"x\"}]}]}",
                "{\"routes\":[{\"name\":\"x\",\"pool\":\"y\",\"hosts\":{}}]}",
                // certificates: garbage PEM, keys that are not keys, wrong types
                "{\"name\":\"bad-pem\",\"certificate\":\"garbage\"}",
                "{\"name\":\"bad-pem\",\"certificate\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}",
                "{\"name\":\"bad-pem\",\"certificate\":\"-----BEGIN CERTIFICATE-----\\n!!!!\\n-----END CERTIFICATE-----\"}",
                "{\"name\":\"bad-pem\",\"certificate\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\"}",
                "{\"name\":\"bad-pem\",\"certificate\":7}", "{\"name\":\"bad-pem\",\"certificate\":[\"a\"]}",
                "{\"name\":\"bad-pem\",\"privateKey\":\"x\"}", "{\"name\":\"bad-pem\",\"hasPrivateKey\":\"yes\"}",
                "{\"name\":\"bad-pem\",\"certificate\":\"" + "A".repeat(70_000) + "\"}",
                "{\"certificates\":[{\"name\":\"bad-pem\",\"certificate\":\"garbage\"}]}", "{\"certificates\":\"all\"}",
                // huge numbers
                "{\"port\":99999999999999999999}", "{\"weight\":1e400}", "{\"port\":" + "9".repeat(2000) + "}",
                "{\"name\":\"Bad!\",\"panicThresholdPercent\":-2147483649}", "{\"name\":\"Bad!\",\"healthCheck\":{\"healthyThreshold\":1e10}}",
                // deep nesting and big strings (under the body limit)
                "[".repeat(1500) + "]".repeat(1500), "{\"a\":".repeat(1500) + "1" + "}".repeat(1500),
                "{\"name\":\"" + "a".repeat(1_000_000) + "\"}"));
        // bad names and injection strings
        for (String name : List.of("", " ", "UPPER", "has space", "-lead", "trail-", "a".repeat(64), "../etc/passwd", "a/b",
                "'; DROP TABLE pools; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}",
                "$(reboot)", "`id`", "a\\u0000b", "a\\nb", "a\\tb", "\\u202e", "é", "\\ud83d\\ude00", "a;b", "a|b", "*", "%00",
                "\\ud800", "a b", "Robert'); DROP TABLE tokens;--", "1 UNION SELECT secret_hash FROM tokens")) {
            out.add("{\"name\":\"" + name + "\"}");
        }
        return out;
    }

    @BeforeEach
    void setUp() {
        RestAssured.config = RestAssured.config().encoderConfig(
                EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT));
        pool = unique("corpus");
        route = unique("corpus");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.70.0.1\",\"port\":80},"
                + "{\"name\":\"b\",\"host\":\"10.70.0.2\",\"port\":80}]}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"name\":\"" + route + "\",\"hosts\":[\"" + route + ".example.com\"],\"pool\":\"" + pool + "\"}")
                .post("/api/v1/routes").then().statusCode(201);
        certificate = unique("corpus");
        var cert = io.ballast.controlplane.certificate.TestCertificates.selfSigned(certificate + ".example.com");
        admin().body(java.util.Map.of("name", certificate, "certificate", cert.chainPem(), "privateKey", cert.pkcs8()))
                .post("/api/v1/certificates").then().statusCode(201);
    }

    private record Target(String method, String path, String contentType) {
    }

    private List<Target> bodyEndpoints() {
        String p = "/api/v1/pools/" + pool;
        String patch = "application/merge-patch+json";
        return List.of(
                new Target("POST", "/api/v1/pools", "application/json"),
                new Target("PUT", p, "application/json"),
                new Target("PATCH", p, patch),
                new Target("POST", p + "/backends", "application/json"),
                new Target("PUT", p + "/backends/a", "application/json"),
                new Target("PATCH", p + "/backends/a", patch),
                new Target("POST", "/api/v1/routes", "application/json"),
                new Target("PUT", "/api/v1/routes/" + route, "application/json"),
                new Target("PATCH", "/api/v1/routes/" + route, patch),
                new Target("PUT", "/api/v1/config", "application/json"),
                new Target("PUT", "/api/v1/config", "application/yaml"),
                new Target("POST", "/api/v1/config/validate", "application/json"),
                new Target("POST", "/api/v1/tokens", "application/json"),
                new Target("POST", "/api/v1/certificates", "application/json"),
                new Target("PUT", "/api/v1/certificates/" + certificate, "application/json"));
    }

    @Test
    void everyMalformedBodyToEveryWriteEndpointIsA4xxProblemAndChangesNothing() {
        State before = State.now();
        List<String> corpus = bodies();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (Target target : bodyEndpoints()) {
            for (String body : corpus) {
                Response answer = admin().contentType(target.contentType()).body(body).request(target.method(), target.path());
                check(target.method() + " " + target.path() + " [" + target.contentType() + "] " + abbreviate(body), answer, wrong);
                sent++;
            }
            // Bodies of the wrong media type, and none at all.
            check(target.method() + " " + target.path() + " as text/plain",
                    admin().contentType("text/plain").body("{}").request(target.method(), target.path()), wrong);
            check(target.method() + " " + target.path() + " without a body",
                    admin().contentType(target.contentType()).request(target.method(), target.path()), wrong);
            sent += 2;
        }
        assertThat(wrong).as("%d requests", sent).isEmpty();
        assertThat(State.now()).isEqualTo(before);
    }

    @Test
    void tenMegabyteBodiesAre413Problems() {
        State before = State.now();
        byte[] huge = ("{\"name\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        List<String> wrong = new ArrayList<>();
        for (Target target : bodyEndpoints()) {
            Response answer = admin().contentType(target.contentType()).body(huge).request(target.method(), target.path());
            check(target.method() + " " + target.path() + " 10 MB", answer, wrong);
            assertThat(answer.statusCode()).isEqualTo(413);
        }
        assertThat(wrong).isEmpty();
        assertThat(State.now()).isEqualTo(before);
    }

    @Test
    void badNamesAndParametersOnWriteEndpointsWithoutABody() {
        State before = State.now();
        List<String> names = new ArrayList<>();
        for (String name : List.of("nope", "UPPER", "' OR '1'='1", "<script>", "..", "a%00b", "%E2%80%AE", "a".repeat(300),
                "${jndi:ldap://x}", "%0d%0aSet-Cookie:x=y", "999999999999999999999999", "-1", "%25", "a%2Fb")) {
            names.add(name.contains("%") ? name : URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String p = "/api/v1/pools/" + pool;
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (String n : names) {
            for (String[] call : new String[][] {
                {"DELETE", "/api/v1/pools/" + n}, {"DELETE", p + "/backends/" + n}, {"POST", p + "/backends/" + n + "/drain"},
                {"POST", p + "/backends/" + n + "/enable"}, {"POST", p + "/backends/" + n + "/disable"},
                {"POST", "/api/v1/pools/" + n + "/backends/a/drain"}, {"DELETE", "/api/v1/routes/" + n},
                {"DELETE", "/api/v1/tokens/" + n}, {"POST", "/api/v1/revisions/" + n + "/rollback"},
                {"DELETE", "/api/v1/certificates/" + n}}) {
                check(call[0] + " " + call[1], admin().urlEncodingEnabled(false).request(call[0], call[1]), wrong);
                sent++;
            }
        }
        for (String query : List.of("force=maybe", "force=1", "wait=now", "wait=converged&timeout=1y", "wait=converged&timeout=-1s",
                "wait=converged&timeout=0s", "timeout=5s", "dryRun=perhaps", "prune=2")) {
            for (String[] call : new String[][] {
                {"POST", p + "/backends/a/drain"}, {"POST", p + "/backends/b/disable"}, {"DELETE", p + "/backends/a"},
                {"DELETE", "/api/v1/routes/" + route}, {"DELETE", p}, {"POST", "/api/v1/revisions/1/rollback"},
                {"PUT", "/api/v1/config"}}) {
                // dryRun and prune only exist on /config and rollback (prune only on /config); elsewhere they are
                // ignored like any unknown parameter, so those calls would be valid writes: not sent.
                boolean meaningful = !(query.startsWith("dryRun") || query.startsWith("prune"))
                        || call[1].contains("config") || (query.startsWith("dryRun") && call[1].contains("rollback"));
                if (!meaningful) {
                    continue;
                }
                var spec = admin().urlEncodingEnabled(false);
                if (call[0].equals("PUT")) {
                    spec.body("{\"pools\":[],\"routes\":[]}");
                }
                Response answer = spec.request(call[0], call[1] + "?" + query);
                check(call[0] + " " + call[1] + "?" + query, answer, wrong);
                sent++;
            }
        }
        assertThat(wrong).as("%d requests", sent).isEmpty();
        assertThat(State.now()).isEqualTo(before);
    }

    private record Strict(String method, String path, String contentType, String body, int status, String field) {
    }

    /**
     * Issue 15: bodies that are well-formed and would be valid but for one quiet conversion (a number for a string,
     * a string for a number or boolean, 80.5 for an integer, a key given twice) are refused with 400 naming the
     * field; {@code hosts: []} on a route is a 422, not a catch-all.
     */
    @Test
    void quietTypeConversionsAndDuplicateKeysAre400sThatNameTheFieldAndEmptyHostsA422() {
        State before = State.now();
        String n = unique("strict");
        String b = "/api/v1/pools/" + pool + "/backends/a";
        String patch = "application/merge-patch+json";
        String json = "application/json";
        List<Strict> cases = List.of(
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":\"80\"}]}", 400, "backends[0].port"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":80.5}]}", 400, "backends[0].port"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":80.0}]}", 400, "backends[0].port"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"backends\":[{\"host\":10,\"port\":80}]}", 400, "backends[0].host"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":80,\"weight\":true}]}", 400, "backends[0].weight"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"description\":123}", 400, "description"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"panicThresholdPercent\":\"50\"}", 400, "panicThresholdPercent"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"healthCheck\":{\"healthyThreshold\":2.5}}", 400, "healthCheck.healthyThreshold"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"labels\":{\"tier\":1}}", 400, "labels.tier"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"name\":\"" + n + "-2\"}", 400, "name"),
                new Strict("POST", "/api/v1/pools", json, "{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":80,\"port\":81}]}", 400, "backends[0].port"),
                new Strict("POST", "/api/v1/routes", json, "{\"name\":\"" + n + "\",\"pool\":\"" + pool + "\",\"hosts\":[]}", 422, "hosts"),
                new Strict("POST", "/api/v1/routes", json, "{\"name\":\"" + n + "\",\"pool\":\"" + pool + "\",\"stripPrefix\":\"true\"}", 400, "stripPrefix"),
                new Strict("POST", "/api/v1/routes", json, "{\"name\":\"" + n + "\",\"pool\":\"" + pool + "\",\"priority\":1.5}", 400, "priority"),
                new Strict("POST", "/api/v1/routes", json, "{\"name\":42,\"pool\":\"" + pool + "\"}", 400, "name"),
                new Strict("POST", "/api/v1/routes", json, "{\"name\":\"" + n + "\",\"pool\":\"" + pool + "\",\"hosts\":[7]}", 400, "hosts[0]"),
                new Strict("PATCH", "/api/v1/routes/" + route, patch, "{\"hosts\":[]}", 422, "hosts"),
                new Strict("PATCH", b, patch, "{\"weight\":\"50\"}", 400, "weight"),
                new Strict("PUT", b, json, "{\"name\":\"a\",\"host\":\"10.70.0.1\",\"port\":80,\"weight\":50.5}", 400, "weight"),
                new Strict("PUT", "/api/v1/config", json, "{\"pools\":[],\"pools\":[{\"name\":\"" + n + "\"}]}", 400, "pools"),
                new Strict("PUT", "/api/v1/config", json, "{\"pools\":[{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":\"80\"}]}]}", 400, "pools[0].backends[0].port"),
                new Strict("PUT", "/api/v1/config", "application/yaml", "pools:\n  - name: " + n + "\n    name: other\n", 400, "pools[0].name"),
                new Strict("PUT", "/api/v1/config", "application/yaml", "pools:\n  - name: " + n + "\n    backends:\n      - {host: 10.0.0.1, port: 80.5}\n", 400, "pools[0].backends[0].port"));
        List<String> wrong = new ArrayList<>();
        for (Strict c : cases) {
            Response answer = admin().contentType(c.contentType()).body(c.body()).request(c.method(), c.path());
            String fields = answer.contentType() != null && answer.contentType().startsWith("application/problem+json")
                    ? String.valueOf(answer.jsonPath().getList("errors.field")) : "(no problem)";
            if (answer.statusCode() != c.status() || !fields.contains(c.field())) {
                wrong.add(c.method() + " " + c.path() + " " + abbreviate(c.body()) + " -> " + answer.statusCode() + " fields " + fields
                        + " " + abbreviate(answer.asString()));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(State.now()).isEqualTo(before);
        // The same bodies spelled right are accepted: the refusals are about the types, not the values.
        admin().body("{\"name\":\"" + n + "\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":80,\"weight\":50}],"
                + "\"labels\":{\"tier\":\"1\"}}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"name\":\"" + n + "\",\"pool\":\"" + n + "\",\"hosts\":[\"*\"],\"priority\":1}").post("/api/v1/routes")
                .then().statusCode(201);
    }

    /** A 4xx with a problem document whose status is the answer's. */
    private static void check(String what, Response answer, List<String> wrong) {
        int status = answer.statusCode();
        String type = answer.contentType();
        boolean problem = type != null && type.startsWith("application/problem+json");
        Integer bodyStatus = null;
        if (problem) {
            try {
                bodyStatus = JSON.readTree(answer.asByteArray()).path("status").asInt(-1);
            } catch (java.io.IOException e) {
                problem = false;
            }
        }
        if (status < 400 || status >= 500 || !problem || bodyStatus == null || bodyStatus != status) {
            wrong.add(what + " -> " + status + " " + type + " " + abbreviate(answer.asString()));
        }
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "…(" + s.length() + " chars)" : oneLine;
    }

    /** What must not change: the exported configuration, the latest revision and the set of tokens. */
    private record State(String config, Object latestRevision, List<String> tokens) {
        static State now() {
            String config = admin().accept("application/json").get("/api/v1/config").then().statusCode(200).extract().asString();
            Map<String, Object> latest = admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().path("items[0]");
            List<String> tokens = admin().get("/api/v1/tokens?limit=1000").then().statusCode(200).extract().path("items.name");
            return new State(config, latest.get("number") + "/" + latest.get("hash"), tokens);
        }
    }
}
