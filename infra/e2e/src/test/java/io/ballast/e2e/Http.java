package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking HTTP client for tests; {@code bearer} may be null for unauthenticated calls. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final String base;
    private final String bearer;

    Http(String base, String bearer) {
        this.base = base;
        this.bearer = bearer;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** GET with an explicit Host header (surefire sets jdk.httpclient.allowRestrictedHeaders=host). */
    HttpResponse<String> getWithHost(String path, String host) {
        return send(request(path).header("Host", host).GET());
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POST that may take up to {@code timeout} to answer (e.g. {@code ?wait=drained}). */
    HttpResponse<String> postWaiting(String path, String json, Duration timeout) {
        return send(request(path).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #get} but answers null instead of throwing when the server is unreachable. */
    HttpResponse<String> tryGet(String path) {
        try {
            return get(path);
        } catch (UncheckedIOException e) {
            return null;
        }
    }
}
