package io.ballast.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.cli.CliException;
import java.util.ArrayList;
import java.util.List;

/**
 * An error answer of the control plane: an RFC 9457 problem (title, detail, {@code errors[{field, message}]}),
 * or whatever else a proxy in between answered. {@link #getMessage()} is the readable text the CLI prints.
 */
public final class ApiProblem extends CliException {
    private final int status;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;
    private final JsonNode body;

    /** One field-level error: {@code field} is a path such as {@code pools[2].backends[0].port}. */
    public record FieldError(String field, String message) {
    }

    ApiProblem(int status, String title, String detail, List<FieldError> errors, JsonNode body) {
        super(ProblemText.render(status, title, detail, errors));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.errors = List.copyOf(errors);
        this.body = body;
    }

    static ApiProblem of(int status, String rawBody) {
        JsonNode tree = null;
        try {
            tree = rawBody == null || rawBody.isBlank() ? null : ApiResponse.JSON.readTree(rawBody);
        } catch (java.io.IOException e) {
            // not JSON: keep the raw text as the detail below
        }
        if (tree == null || !tree.isObject()) {
            String text = rawBody == null ? "" : rawBody.strip();
            return new ApiProblem(status, null, text.length() > 200 ? text.substring(0, 200) + "..." : text, List.of(), null);
        }
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode e : tree.path("errors")) {
            errors.add(new FieldError(e.path("field").asText(""), e.path("message").asText("")));
        }
        return new ApiProblem(status, tree.path("title").asText(null), tree.path("detail").asText(null), errors, tree);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The problem document as the server sent it; null when it was not JSON. */
    public JsonNode body() {
        return body;
    }

    /** The same problem with each field error's path rewritten, e.g. to point into one of several files. */
    public ApiProblem withFields(java.util.function.UnaryOperator<String> locate) {
        List<FieldError> located = errors.stream().map(e -> new FieldError(locate.apply(e.field()), e.message())).toList();
        return new ApiProblem(status, title, detail, located, body);
    }
}
