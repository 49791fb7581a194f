package io.ballast.dataplane.health;

import io.ballast.dataplane.tls.BackendTls;
import io.ballast.model.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gRPC probe: the standard {@code grpc.health.v1.Health/Check} call (over HTTP/2: prior knowledge in cleartext,
 * ALPN {@code h2} with the pool's backend TLS), asking about the check's {@code service} (empty: the server as a
 * whole). Passes only on {@code SERVING}; otherwise the reason says what the server answered:
 * {@code GrpcNotServing}, {@code GrpcServiceUnknown} (status {@code NOT_FOUND} or {@code SERVICE_UNKNOWN}),
 * {@code GrpcHealthUnimplemented} (no health service), {@code GrpcStatus<code>} for another non-zero status,
 * {@code ResponseCodeMismatch} for an HTTP status other than 200, {@code GrpcBadResponse} for a body that is not
 * one health answer. The two messages are encoded by hand (one optional string field out, one enum field in), so
 * the data plane needs no protobuf library. Thread-safe (the client is).
 */
final class GrpcProbe {
    static final String PATH = "/grpc.health.v1.Health/Check";
    private static final int SERVING = 1;
    private static final int NOT_SERVING = 2;
    private static final int SERVICE_UNKNOWN = 3;
    private static final int GRPC_NOT_FOUND = 5;
    private static final int GRPC_UNIMPLEMENTED = 12;

    private final HttpClient client;
    private final Function<String, BackendTls> tlsOfPool;

    /** @param client an HTTP/2 client (prior knowledge for cleartext, ALPN for TLS) */
    GrpcProbe(HttpClient client, Function<String, BackendTls> tlsOfPool) {
        this.client = client;
        this.tlsOfPool = tlsOfPool;
    }

    Future<ProbeOutcome> probe(HealthTarget target, InetAddress address) {
        HealthCheck check = target.check();
        long timeout = Math.max(1, check.timeout().toMillis());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(address.getHostAddress())
                .setPort(target.port())
                .setURI(PATH)
                .setIdleTimeout(timeout);
        BackendTls tls = tlsOfPool.apply(target.pool());
        if (tls != null) {
            options.setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                    .setHost(tls.serverName(target.host())).setSsl(true).setSslOptions(tls.probeOptions());
        }
        String host = check.host() != null && !check.host().isBlank() ? check.host() : target.host();
        Buffer body = request(check.service());
        return client.request(options)
                .compose(request -> {
                    request.authority(HostAndPort.create(host, target.port()));
                    request.putHeader("content-type", "application/grpc");
                    request.putHeader("te", "trailers");
                    request.putHeader("user-agent", "ballast-health-check");
                    // A deadline the server can see, so it gives up as soon as the probe does.
                    request.putHeader("grpc-timeout", timeout + "m");
                    return request.send(body);
                })
                .compose(response -> response.body().map(answer -> outcome(response, answer)))
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .otherwise(ProbeFailures::classify);
    }

    /** A {@code HealthCheckRequest} in its gRPC frame: {@code service} is field 1 (a string), left out when empty. */
    static Buffer request(String service) {
        byte[] name = service == null ? new byte[0] : service.getBytes(StandardCharsets.UTF_8);
        Buffer message = Buffer.buffer();
        if (name.length > 0) {
            message.appendByte((byte) 0x0A);
            varint(message, name.length);
            message.appendBytes(name);
        }
        return Buffer.buffer(5 + message.length()).appendByte((byte) 0).appendInt(message.length()).appendBuffer(message);
    }

    private static void varint(Buffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.appendByte((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.appendByte((byte) value);
    }

    static ProbeOutcome outcome(HttpClientResponse response, Buffer answer) {
        if (response.statusCode() != 200) {
            return ProbeOutcome.fail("ResponseCodeMismatch");
        }
        // An error without messages comes "trailers-only": the status is in the headers.
        String grpcStatus = response.getHeader("grpc-status");
        if (grpcStatus == null) {
            grpcStatus = response.getTrailer("grpc-status");
        }
        return judge(grpcStatus, answer);
    }

    static ProbeOutcome judge(String grpcStatus, Buffer answer) {
        int code;
        try {
            code = grpcStatus == null ? -1 : Integer.parseInt(grpcStatus.trim());
        } catch (NumberFormatException e) {
            return ProbeOutcome.fail("GrpcBadResponse");
        }
        if (code == GRPC_NOT_FOUND) {
            return ProbeOutcome.fail("GrpcServiceUnknown");
        }
        if (code == GRPC_UNIMPLEMENTED) {
            return ProbeOutcome.fail("GrpcHealthUnimplemented");
        }
        if (code != 0) {
            return ProbeOutcome.fail(code < 0 ? "GrpcBadResponse" : "GrpcStatus" + code);
        }
        int status = servingStatus(answer);
        return switch (status) {
            case SERVING -> ProbeOutcome.PASS;
            case NOT_SERVING -> ProbeOutcome.fail("GrpcNotServing");
            case SERVICE_UNKNOWN -> ProbeOutcome.fail("GrpcServiceUnknown");
            case -1 -> ProbeOutcome.fail("GrpcBadResponse");
            default -> ProbeOutcome.fail("GrpcNotServing");
        };
    }

    /**
     * The {@code status} (field 1, an enum) of the one {@code HealthCheckResponse} in {@code answer}; 0 (UNKNOWN)
     * when the field is absent (proto3 leaves defaults out), -1 when the body is not one uncompressed message.
     */
    static int servingStatus(Buffer answer) {
        if (answer.length() < 5 || answer.getByte(0) != 0) {
            return -1;
        }
        long length = answer.getUnsignedInt(1);
        if (length != answer.length() - 5) {
            return -1;
        }
        int at = 5;
        int status = 0;
        while (at < answer.length()) {
            long[] tag = readVarint(answer, at);
            if (tag == null) {
                return -1;
            }
            at = (int) tag[1];
            int field = (int) (tag[0] >>> 3);
            int wire = (int) (tag[0] & 7);
            switch (wire) {
                case 0 -> {
                    long[] v = readVarint(answer, at);
                    if (v == null) {
                        return -1;
                    }
                    at = (int) v[1];
                    if (field == 1) {
                        status = (int) v[0];
                    }
                }
                case 1 -> at += 8;
                case 2 -> {
                    long[] len = readVarint(answer, at);
                    if (len == null) {
                        return -1;
                    }
                    at = (int) (len[1] + len[0]);
                }
                case 5 -> at += 4;
                default -> {
                    return -1;
                }
            }
        }
        return at == answer.length() ? status : -1;
    }

    /** {value, next offset}, or null when the varint runs past the end or is longer than 10 bytes. */
    private static long[] readVarint(Buffer b, int at) {
        long value = 0;
        for (int shift = 0; shift < 70 && at < b.length(); shift += 7) {
            byte x = b.getByte(at++);
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return new long[] {value, at};
            }
        }
        return null;
    }
}
