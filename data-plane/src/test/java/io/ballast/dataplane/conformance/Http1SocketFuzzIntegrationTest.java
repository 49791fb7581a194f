package io.ballast.dataplane.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.proxy.Http1FuzzCorpus;
import io.ballast.dataplane.proxy.Http1Inputs;
import io.ballast.dataplane.proxy.Http1Reference;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.InFlight;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The HTTP/1 fuzz inputs through real sockets: a real data plane in front of the raw backend. Properties: the
 * requests the backend receives (on every connection) are, in order, the first ones {@link Http1Reference} frames
 * in what the client sent (the proxy may refuse more, never frame differently, so no request hidden in a body
 * reaches it), and every backend's in-flight count returns to 0. Tries are few: each is a real exchange.
 */
class Http1SocketFuzzIntegrationTest {
    private static RawBackend backend;
    private static DataPlane dp;

    @BeforeContainer
    static void start() throws Exception {
        backend = new RawBackend();
        backend.quietMillis(100);
        dp = backend.startProxy(Files.createTempDirectory("socket-fuzz"), "socket-fuzz", Duration.ofSeconds(2));
    }

    @AfterContainer
    static void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    @Property(tries = 20)
    void theBackendGetsOnlyWhatTheReferenceFrames(@ForAll("inputs") byte[] input) throws Exception {
        check(input);
    }

    @Example
    void everyInputOfTheCorpusHoldsThroughRealSockets() throws Exception {
        for (byte[] input : Http1FuzzCorpus.inputs()) {
            check(input);
        }
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Http1Inputs.requests(3);
    }

    private static void check(byte[] input) throws Exception {
        backend.forget();
        RawClient.exchange(DataPlaneFixture.proxyPort(dp), new String(input, StandardCharsets.ISO_8859_1), 300);
        List<String> received = backend.allRequests(50, 3000);
        List<String> targets = Http1Messages.heads(received).stream().map(Http1SocketFuzzIntegrationTest::target).toList();
        List<String> framed = Http1Reference.parse(input).messages().stream().map(m -> originForm(m.target())).toList();
        String what = Http1FuzzCorpus.escape(input);
        assertThat(targets.size()).as("requests forwarded for %s: %s", what, received).isLessThanOrEqualTo(framed.size());
        assertThat(targets).as("targets forwarded for %s", what).isEqualTo(framed.subList(0, targets.size()));
        InFlight.awaitZero(dp);
    }

    private static String target(String head) {
        String[] parts = head.split(" ", 3);
        return parts.length < 2 ? head : parts[1];
    }

    /** The proxy forwards an absolute-form target in origin form. */
    private static String originForm(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0) {
            return target.toLowerCase();
        }
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash).toLowerCase();
    }
}
