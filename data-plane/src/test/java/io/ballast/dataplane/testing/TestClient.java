package io.ballast.dataplane.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A blocking HTTP/1.1 keep-alive client for tests: the JDK's, so the client shares no code with the proxy
 * under test. Restricted headers (Host, Connection …) are allowed by the surefire configuration.
 */
public final class TestClient implements AutoCloseable {
    private final HttpClient client;
    private final int port;

    public record Response(int status, MultiMap headers, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    public TestClient(int port) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.port = port;
    }

    public Response get(String uri) throws Exception {
        return send(HttpMethod.GET, uri, Map.of(), null);
    }

    public Response send(HttpMethod method, String uri, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                .timeout(Duration.ofSeconds(20))
                .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
            out.add(h.getKey(), h.getValue());
        }
        return new Response(response.statusCode(), out, response.body());
    }

    @Override
    public void close() {
        // The JDK client (Java 17) has no close; its idle connections time out on their own.
    }
}
