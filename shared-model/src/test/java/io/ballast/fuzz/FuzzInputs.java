package io.ballast.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators shared by the fuzz properties: JSON-shaped documents built from the field names the model and
 * the wire protocol use (so the parsers get past the first brace and reach the record constructors), each
 * value of any JSON type; mutations of valid documents; and the regression corpus of inputs that once
 * failed, kept as files under {@code src/test/resources/fuzz-corpus/} (as Envoy keeps its fuzz corpora).
 */
final class FuzzInputs {
    static final List<String> FIELDS = List.of("type", "pools", "routes", "name", "description", "backends", "host", "port",
            "weight", "adminState", "hosts", "pathPrefix", "priority", "pool", "stripPrefix", "algorithm", "hashOn", "stickyCookie",
            "healthCheck", "path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold", "expectedStatuses",
            "transitionInterval", "initialState", "outlierDetection", "consecutive5xx", "baseEjectionTime", "maxEjectionPercent",
            "panicThresholdPercent", "retries", "attempts", "on", "budgetPercent", "timeouts", "connect", "request", "idle",
            "slowStart", "maxConnectionsPerBackend", "maxPendingRequests", "labels", "revision", "hash", "config", "nodeId",
            "hostname", "version", "appliedRevision", "appliedHash", "observations", "state", "reason", "at", "health",
            "warnings", "errors", "field", "message", "inFlight", "counters", "method");
    static final List<String> TYPES = List.of("hello", "snapshot", "ack", "nack", "heartbeat", "ping", "health", "future");
    private static final String JSON_ALPHABET = "{}[]\",:0123456789.-+eE truefalsn\\u\n\t/*ab_:#&<>\u0000\u00e9\ud83d\ude00";

    private FuzzInputs() {
    }

    /** Any JSON value, nested up to {@code depth}. */
    static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.just("null"), Arbitraries.of("true", "false"),
                Arbitraries.longs().map(l -> Long.toString(l)),
                Arbitraries.of("80.5", "-0", "1e999", "99999999999999999999", "0.0", "-1", "2147483648", "NaN"),
                Arbitraries.of("web", "127.0.0.1", "169.254.169.254", "round-robin", "healthy", "2s", "-5s", "*", "/", "",
                        "*.example.com", "a\\nb", "\\u0000", "\\ud800", "x".repeat(300)).map(FuzzInputs::quoted),
                Arbitraries.strings().ofMaxLength(12).map(FuzzInputs::quoted));
        if (depth <= 0) {
            return scalar;
        }
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar),
                net.jqwik.api.Tuple.of(2, array),
                net.jqwik.api.Tuple.of(3, object(depth - 1)));
    }

    /** A JSON object whose keys are mostly the model's field names. */
    static Arbitrary<String> object(int depth) {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().alpha().ofMaxLength(6));
        Arbitrary<String> member = Combinators.combine(key, Arbitraries.lazy(() -> value(depth))).as((k, v) -> quoted(k) + ":" + v);
        return member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
    }

    /** A wire frame: an object with a known (or future) type and random members. */
    static Arbitrary<String> frame() {
        return Combinators.combine(Arbitraries.of(TYPES), object(3))
                .as((type, body) -> "{\"type\":\"" + type + "\"" + (body.length() > 2 ? "," + body.substring(1) : "}"));
    }

    /** {@code valid} with a few characters inserted, deleted or replaced. */
    static Arbitrary<String> mutated(List<String> valid) {
        Arbitrary<Character> chars = Arbitraries.of(JSON_ALPHABET.chars().mapToObj(c -> (char) c).toList());
        return Combinators.combine(Arbitraries.of(valid), Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(4),
                chars.list().ofSize(4), Arbitraries.integers().between(0, 2).list().ofSize(4)).as((text, positions, inserts, ops) -> {
                    StringBuilder sb = new StringBuilder(text);
                    for (int i = 0; i < positions.size(); i++) {
                        int at = sb.isEmpty() ? 0 : positions.get(i) % sb.length();
                        switch (ops.get(i)) {
                            case 0 -> sb.insert(at, inserts.get(i));
                            case 1 -> {
                                if (!sb.isEmpty()) {
                                    sb.deleteCharAt(at);
                                }
                            }
                            default -> {
                                if (!sb.isEmpty()) {
                                    sb.setCharAt(at, inserts.get(i));
                                }
                            }
                        }
                    }
                    return sb.toString();
                });
    }

    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Every file of one corpus directory, as text. */
    static List<String> corpus(String name) {
        Path dir = Path.of("src/test/resources/fuzz-corpus", name);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
