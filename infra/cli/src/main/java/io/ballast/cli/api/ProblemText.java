package io.ballast.cli.api;

import java.util.List;

/**
 * Turns a problem into what a person reads: one sentence ("Invalid configuration (HTTP 422): pool web
 * has 2 errors."), then one indented line per field error.
 */
public final class ProblemText {
    private ProblemText() {
    }

    public static String render(int status, String title, String detail, List<ApiProblem.FieldError> errors) {
        StringBuilder out = new StringBuilder();
        String head = title == null || title.isBlank() ? defaultTitle(status) : title.strip();
        out.append(head).append(" (HTTP ").append(status).append(')');
        if (repeatsFirstError(detail, errors)) {
            // The server's detail restates the first field error; the list below says it better (and located).
            out.append(": ").append(errors.size() == 1 ? "1 error" : errors.size() + " errors");
        } else if (detail != null && !detail.isBlank() && !detail.strip().equalsIgnoreCase(head)) {
            out.append(": ").append(detail.strip());
        }
        if (out.charAt(out.length() - 1) != '.') {
            out.append('.');
        }
        for (ApiProblem.FieldError e : errors) {
            out.append(System.lineSeparator()).append("  - ");
            if (!e.field().isBlank()) {
                out.append(e.field()).append(": ");
            }
            out.append(e.message());
        }
        return out.toString();
    }

    private static boolean repeatsFirstError(String detail, List<ApiProblem.FieldError> errors) {
        if (detail == null || errors.isEmpty()) {
            return false;
        }
        return !errors.get(0).message().isBlank() && detail.contains(errors.get(0).message());
    }

    private static String defaultTitle(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized (is the token right?)";
            case 403 -> "Forbidden (the token's role does not allow this)";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 412 -> "Precondition failed";
            case 422 -> "Invalid configuration";
            case 502, 503, 504 -> "The control plane is unavailable";
            default -> "The control plane refused the request";
        };
    }
}
