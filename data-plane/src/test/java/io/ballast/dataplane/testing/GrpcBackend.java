package io.ballast.dataplane.testing;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.Attributes;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server (grpc-java over its own Netty) for the HTTP/2-to-backend tests: the standard health service
 * ({@code grpc.health.v1}) and a small {@code test.Echo} service with hand-written method descriptors and a byte[]
 * marshaller, so no protoc is needed. It counts the HTTP/2 connections it accepted, so a test can see how many the
 * proxy opened. Also a client for the same methods.
 */
public final class GrpcBackend implements AutoCloseable {
    public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    /** Answers {@code <name>:<request>}. */
    public static final MethodDescriptor<byte[], byte[]> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    /** The request is a number n: answers n messages {@code <name>:i}. */
    public static final MethodDescriptor<byte[], byte[]> STREAM = method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Fails at once with NOT_FOUND and the request as its message (a trailers-only answer). */
    public static final MethodDescriptor<byte[], byte[]> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
    /** Two messages, then RESOURCE_EXHAUSTED: the status comes in real trailers after a body. */
    public static final MethodDescriptor<byte[], byte[]> STREAM_THEN_FAIL = method("StreamThenFail",
            MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Answers only once {@link #release()} is called: holds its stream open. */
    public static final MethodDescriptor<byte[], byte[]> HOLD = method("Hold", MethodDescriptor.MethodType.UNARY);

    private final String name;
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(1);

    private GrpcBackend(String name, Integer maxConcurrentStreams, SslContext tls) throws IOException {
        this.name = name;
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(echo())
                .addService(health.getHealthService())
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        connections.incrementAndGet();
                        return attributes;
                    }
                });
        if (maxConcurrentStreams != null) {
            builder.maxConcurrentCallsPerConnection(maxConcurrentStreams);
        }
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.server = builder.build().start();
    }

    public static GrpcBackend start(String name) throws IOException {
        return new GrpcBackend(name, null, null);
    }

    /** A server that allows at most {@code maxConcurrentStreams} streams per connection (its SETTINGS say so). */
    public static GrpcBackend withMaxConcurrentStreams(String name, int maxConcurrentStreams) throws IOException {
        return new GrpcBackend(name, maxConcurrentStreams, null);
    }

    /** Over TLS with {@code tls} (ALPN h2, as grpc-java requires). */
    public static GrpcBackend withTls(String name, SslContext tls) throws IOException {
        return new GrpcBackend(name, null, tls);
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private ServerServiceDefinition echo() {
        return ServerServiceDefinition.builder("test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, reply) -> {
                    calls.incrementAndGet();
                    reply.onNext(bytes(name + ":" + text(request)));
                    reply.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((request, reply) -> {
                    calls.incrementAndGet();
                    int n = Integer.parseInt(text(request));
                    for (int i = 0; i < n; i++) {
                        reply.onNext(bytes(name + ":" + i));
                    }
                    reply.onCompleted();
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, reply) -> {
                    calls.incrementAndGet();
                    reply.onError(Status.NOT_FOUND.withDescription(text(request)).asRuntimeException());
                }))
                .addMethod(STREAM_THEN_FAIL, ServerCalls.asyncServerStreamingCall((request, reply) -> {
                    calls.incrementAndGet();
                    reply.onNext(bytes("one"));
                    reply.onNext(bytes("two"));
                    reply.onError(Status.RESOURCE_EXHAUSTED.withDescription("quota spent").asRuntimeException());
                }))
                .addMethod(HOLD, ServerCalls.asyncUnaryCall((request, reply) -> {
                    calls.incrementAndGet();
                    held.incrementAndGet();
                    CountDownLatch latch = release;
                    Thread waiter = new Thread(() -> {
                        try {
                            latch.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        reply.onNext(bytes(name + ":held"));
                        reply.onCompleted();
                    }, "grpc-hold");
                    waiter.setDaemon(true);
                    waiter.start();
                }))
                .build();
    }

    public int port() {
        return server.getPort();
    }

    /** HTTP/2 connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** {@link #HOLD} calls waiting now (or answered since the last release). */
    public int held() {
        return held.get();
    }

    public int calls() {
        return calls.get();
    }

    /** Answers every {@link #HOLD} call so far. */
    public void release() {
        CountDownLatch latch = release;
        release = new CountDownLatch(1);
        held.set(0);
        latch.countDown();
    }

    public void serving(String service, ServingStatus status) {
        health.setStatus(service, status);
    }

    @Override
    public void close() throws InterruptedException {
        release();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A plaintext (h2c prior knowledge) gRPC channel to {@code port}, e.g. the proxy's. */
    public static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public static String unary(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, String request) {
        return text(ClientCalls.blockingUnaryCall(channel, method, options(), bytes(request)));
    }

    public static List<String> stream(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, String request) {
        List<String> out = new ArrayList<>();
        Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(channel, method, options(), bytes(request));
        while (it.hasNext()) {
            out.add(text(it.next()));
        }
        return out;
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
