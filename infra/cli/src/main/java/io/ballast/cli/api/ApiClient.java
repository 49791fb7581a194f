package io.ballast.cli.api;

import io.ballast.cli.CliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Blocking calls to {@code /api/v1} with the JDK's HTTP client and a bearer token. Every non-2xx answer
 * becomes an {@link ApiProblem}; an unreachable control plane a {@link CliException} that names the URL.
 * The token goes only into the Authorization header, never into a message.
 */
public final class ApiClient {
    public static final String JSON = "application/json";

    private final Endpoint endpoint;
    private final HttpClient http;
    private final Duration requestTimeout;

    public ApiClient(Endpoint endpoint, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public ApiResponse get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    public ApiResponse get(String path, String accept) {
        return send("GET", path, null, null, Map.of("Accept", accept));
    }

    public ApiResponse post(String path, String jsonBody) {
        return send("POST", path, jsonBody, jsonBody == null ? null : JSON, Map.of());
    }

    public ApiResponse put(String path, String jsonBody, Map<String, String> headers) {
        return send("PUT", path, jsonBody, JSON, headers);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, null, null, Map.of());
    }

    /** One path segment (a pool or backend name such as {@code 10.0.0.1:8080}), percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public ApiResponse send(String method, String path, String body, String contentType, Map<String, String> headers) {
        URI uri = URI.create(endpoint.base() + "/api/v1" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Authorization", "Bearer " + endpoint.token())
                .header("User-Agent", "ballast-cli")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (!headers.containsKey("Accept")) {
            request.header("Accept", JSON);
        }
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CliException("cannot reach the control plane at " + endpoint.base() + " (" + reason(e) + ")", e);
        } catch (HttpTimeoutException e) {
            throw new CliException("the control plane at " + endpoint.base() + " did not answer " + method + " " + path
                    + " within " + requestTimeout.toSeconds() + "s", e);
        } catch (IOException e) {
            throw new CliException("cannot talk to the control plane at " + endpoint.base() + " (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw ApiProblem.of(response.statusCode(), response.body());
        }
        return new ApiResponse(response.statusCode(), response.headers(), response.body());
    }

    private static String reason(Exception e) {
        if (e instanceof ConnectException && e.getMessage() == null) {
            return "connection refused";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
