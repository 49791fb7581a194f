package io.ballast.controlplane.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ballast.controlplane.config.PreconditionFailedException;
import io.ballast.controlplane.config.ResourceConflictException;
import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.controlplane.persistence.DatabaseUnavailableException;
import io.ballast.controlplane.persistence.TransientFailures;
import io.ballast.controlplane.revision.UnsafeChangeException;
import io.ballast.controlplane.security.AccessDeniedException;
import io.ballast.controlplane.security.AuthenticationRequiredException;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.Violation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error the API answers, as {@code application/problem+json} (RFC 9457). Bad input is always
 * a 4xx that says what is wrong; only a genuine fault is a 500, and its details go to the log, not
 * to the client.
 */
public class ProblemMappers {
    /** Jackson's wording for STRICT_DUPLICATE_DETECTION. */
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("^Duplicate field '([^']*)'");
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TYPE_BASE = "https://ballast.io/problems/";
    /** PostgreSQL unique_violation, foreign_key_violation (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
    private static final List<String> CONFLICT_STATES = List.of("23505", "23503");

    private final ObjectMapper mapper;

    ProblemMappers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    public Response notFound(ResourceNotFoundException e) {
        return problem(404, "not-found", "Not found", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response conflict(ResourceConflictException e) {
        return problem(409, "conflict", "Conflict", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response stale(PreconditionFailedException e) {
        return problem(412, "precondition-failed", "Precondition Failed", e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unsafe(UnsafeChangeException e) {
        List<Violation> pools = e.pools().stream().map(p -> new Violation("pools." + p, "would have no enabled backend")).toList();
        return problem(409, "unsafe-change", "Unsafe change refused", e.getMessage(), pools);
    }

    @ServerExceptionMapper
    public Response malformedBody(MalformedBodyException e) {
        return malformed(e.json());
    }

    @ServerExceptionMapper
    public Response invalid(InvalidConfigException e) {
        return problem(422, "validation", "Invalid configuration", e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    public Response badRequest(InvalidRequestException e) {
        return problem(400, "bad-request", "Bad request", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationRequiredException e) {
        return Response.fromResponse(problem(401, "unauthenticated", "Unauthorized", e.getMessage(), List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ballast\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(AccessDeniedException e) {
        return problem(403, "forbidden", "Forbidden", e.getMessage(), List.of());
    }

    // Jackson's own subclasses are listed too: Quarkus ships mappers for some of them, and the most
    // specific mapper wins.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, jakarta.ws.rs.core.Request request, jakarta.ws.rs.core.UriInfo uri) {
        JsonProcessingException json = causeOf(e, JsonProcessingException.class);
        if (json != null) {
            return malformed(json);
        }
        int status = e.getResponse().getStatus();
        if (status == 405) {
            java.util.Set<String> allowed = new java.util.TreeSet<>(e.getResponse().getAllowedMethods());
            allowed.addAll(AllowedMethods.on(uri.getPath()));
            return methodNotAllowed(request.getMethod(), allowed);
        }
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        if (family == Response.Status.Family.SERVER_ERROR) {
            LOG.error("Request failed", e);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return problem(status, slug(reason), reason, family == Response.Status.Family.SERVER_ERROR ? null : e.getMessage(), List.of());
    }

    /** The database stayed away for a write's whole retry budget. */
    @ServerExceptionMapper
    public Response databaseUnavailable(DatabaseUnavailableException e) {
        LOG.warn(e.getMessage());
        return unavailable();
    }

    private Response unavailable() {
        Response answer = problem(503, "unavailable", "Service Unavailable", "the database is unavailable; retry later", List.of());
        return Response.fromResponse(answer).header("Retry-After", "5").build();
    }

    /** Last resort: concurrent-write conflicts the checks could not see, an unreachable database, real bugs. */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        SQLException sql = causeOf(e, SQLException.class);
        if (sql != null && sql.getSQLState() != null && CONFLICT_STATES.contains(sql.getSQLState())) {
            return problem(409, "conflict", "Conflict", "the change conflicts with another change made at the same time; retry it", List.of());
        }
        if (causeOf(e, jakarta.persistence.OptimisticLockException.class) != null
                || causeOf(e, org.hibernate.StaleStateException.class) != null) {
            return problem(409, "conflict", "Conflict", "the resource was changed by someone else at the same time; retry", List.of());
        }
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            // Data exceptions (a NUL byte, an unencodable character): input the checks should have caught.
            LOG.warnf("Refused a value the database cannot store: %s", sql.getSQLState());
            return problem(400, "bad-request", "Bad request", "the request contains a value that cannot be stored", List.of());
        }
        if (TransientFailures.isTransient(e)) {
            // Lost connection, no primary (failover), a read-only server: not a bug, and it passes.
            LOG.warn("Database unavailable: " + (sql != null ? sql.getMessage() : e.getMessage()));
            return unavailable();
        }
        LOG.error("Unexpected error", e);
        return problem(500, "internal", "Internal Server Error", "an unexpected error occurred; the control-plane log has the details", List.of());
    }

    /** Names the methods the path does take (RFC 9110 §15.5.6 wants them in {@code Allow} too). */
    private Response methodNotAllowed(String method, java.util.Set<String> allowed) {
        List<String> methods = allowed.stream().filter(m -> !"OPTIONS".equals(m) && !"HEAD".equals(m)).sorted().toList();
        String detail = method + " is not allowed here" + (methods.isEmpty() ? "" : "; use " + String.join(" or ", methods)
                + (methods.contains("PUT") && "POST".equals(method) ? " (curl sends POST for -d unless told -X PUT)" : ""));
        Response problem = problem(405, "method-not-allowed", "Method Not Allowed", detail, List.of());
        return methods.isEmpty() ? problem : Response.fromResponse(problem).header(HttpHeaders.ALLOW, String.join(", ", allowed)).build();
    }

    /**
     * One sentence a person can act on: a syntax error names the format, line and column (and never
     * the field that happened to be open around it); a value of the wrong type names its field once,
     * in {@code errors}, with its position in the detail.
     */
    private Response malformed(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<Violation> errors = unknown.getPath().isEmpty() ? List.of()
                    : List.of(new Violation(path(unknown.getPath()), "unknown field"));
            return problem(400, "malformed", "Malformed request body", "unknown field '" + unknown.getPropertyName() + "'" + at(e), errors);
        }
        JsonParseException syntax = causeOf(e, JsonParseException.class);
        if (syntax != null && syntax.getProcessor() != null && DUPLICATE.matcher(String.valueOf(syntax.getOriginalMessage())).find()) {
            // A duplicate key is a refusal of the parser, not a syntax error: name the key's field.
            return problem(400, "malformed", "Malformed request body", firstLine(syntax.getOriginalMessage()) + at(syntax),
                    List.of(new Violation(withDuplicate(path(syntax.getProcessor().getParsingContext()), syntax),
                            firstLine(syntax.getOriginalMessage()))));
        }
        if (syntax != null) {
            org.yaml.snakeyaml.error.MarkedYAMLException yaml = causeOf(syntax, org.yaml.snakeyaml.error.MarkedYAMLException.class);
            if (yaml != null && yaml.getProblemMark() != null) {
                var mark = yaml.getProblemMark();
                return problem(400, "malformed", "Malformed request body", "the body is not valid YAML at line " + (mark.getLine() + 1)
                        + ", column " + (mark.getColumn() + 1) + ": " + yaml.getProblem(), List.of());
            }
            String format = syntax instanceof com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException ? "YAML" : "JSON";
            return problem(400, "malformed", "Malformed request body",
                    "the body is not valid " + format + at(syntax) + ": " + firstLine(syntax.getOriginalMessage()), List.of());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return problem(400, "malformed", "Malformed request body", "a field does not have the expected type" + at(e),
                    List.of(new Violation(withDuplicate(path(mapping.getPath()), e), firstLine(e.getOriginalMessage()))));
        }
        return problem(400, "malformed", "Malformed request body", "the body does not match this resource" + at(e) + ": "
                + firstLine(e.getOriginalMessage()), List.of());
    }

    private static String at(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() <= 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson appends its source excerpt and a reference chain on later lines; people need the first. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }

    /** A duplicate key is reported at its object; the field named is the key itself. */
    private static String withDuplicate(String at, JsonProcessingException e) {
        java.util.regex.Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (!m.find() || at.equals(m.group(1)) || at.endsWith("." + m.group(1))) {
            return at;
        }
        return at.equals("$") ? m.group(1) : at + "." + m.group(1);
    }

    /** {@code backends[1].port} from the parser's position. */
    static String path(JsonStreamContext context) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.isEmpty() ? "$" : joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /** {@code backends[1].port} from Jackson's reference chain. */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "$" : out.toString();
    }

    static Response problem(ObjectMapper mapper, int status, String type, String title, String detail) {
        return new ProblemMappers(mapper).problem(status, type, title, detail, List.of());
    }

    private Response problem(int status, String type, String title, String detail, List<Violation> errors) {
        Problem body = new Problem(TYPE_BASE + type, title, status, detail, errors);
        try {
            return Response.status(status).type(Problem.MEDIA_TYPE).entity(mapper.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record must serialize", e);
        }
    }

    private static String slug(String reason) {
        return reason == null ? "error" : reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
