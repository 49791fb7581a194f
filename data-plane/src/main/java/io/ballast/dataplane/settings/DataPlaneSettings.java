package io.ballast.dataplane.settings;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a data plane needs to start. Immutable and thread-safe.
 *
 * @param controlPlaneUrls control-plane base URLs ({@code http://…} or {@code https://…}); empty runs without
 *                         a control plane (tests, or serving only the cache)
 * @param token            data-plane bearer token; empty when none was given
 * @param nodeId           identity of this node towards the control plane
 * @param labels           free-form labels sent in {@code hello}
 * @param listen           proxy listen addresses, at least one
 * @param adminListen      admin server address
 * @param cacheDir         where the last good snapshot is kept
 * @param eventLoops       event-loop threads (and proxy server instances), at least 1
 * @param proxy            client trust, access log and limits of the proxy listeners
 * @param allowPrivateAddresses the address policy's {@code allowPrivate}
 *                         ({@code BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE}, the same variable as the control
 *                         plane's) for the addresses backend names resolve to at connect time; metadata and
 *                         link-local space is refused whatever it says [true]
 */
public record DataPlaneSettings(
        List<URI> controlPlaneUrls,
        String token,
        String nodeId,
        Map<String, String> labels,
        List<ListenAddress> listen,
        ListenAddress adminListen,
        Path cacheDir,
        int eventLoops,
        ProxySettings proxy,
        boolean allowPrivateAddresses) {

    public DataPlaneSettings {
        controlPlaneUrls = List.copyOf(requireNonNull(controlPlaneUrls, "controlPlaneUrls"));
        token = requireNonNull(token, "token");
        requireNonNull(nodeId, "nodeId");
        labels = Map.copyOf(requireNonNull(labels, "labels"));
        listen = List.copyOf(requireNonNull(listen, "listen"));
        requireNonNull(adminListen, "adminListen");
        requireNonNull(cacheDir, "cacheDir");
        requireNonNull(proxy, "proxy");
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("at least one listen address is needed");
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1");
        }
    }

    /** Settings that allow private backend addresses (the default). */
    public DataPlaneSettings(List<URI> controlPlaneUrls, String token, String nodeId, Map<String, String> labels,
                             List<ListenAddress> listen, ListenAddress adminListen, Path cacheDir, int eventLoops,
                             ProxySettings proxy) {
        this(controlPlaneUrls, token, nodeId, labels, listen, adminListen, cacheDir, eventLoops, proxy, true);
    }

    /**
     * Settings for tests and embedding: loopback on free ports, no control plane, one event loop, and a stop that
     * waits at most 10 s for requests in flight (the production grace is 30 s).
     */
    public static DataPlaneSettings forTesting(String nodeId, Path cacheDir) {
        return new DataPlaneSettings(List.of(), "", nodeId, Map.of(),
                List.of(new ListenAddress("127.0.0.1", 0)), new ListenAddress("127.0.0.1", 0), cacheDir, 1,
                ProxySettings.DEFAULT.withAccessLog("off").withDrain(ProxySettings.DEFAULT.drainDelay(), Duration.ofSeconds(10)));
    }

    public DataPlaneSettings withControlPlaneUrls(List<URI> urls, String newToken) {
        return new DataPlaneSettings(urls, newToken, nodeId, labels, listen, adminListen, cacheDir, eventLoops, proxy,
                allowPrivateAddresses);
    }

    public DataPlaneSettings withProxy(ProxySettings newProxy) {
        return new DataPlaneSettings(controlPlaneUrls, token, nodeId, labels, listen, adminListen, cacheDir, eventLoops, newProxy,
                allowPrivateAddresses);
    }

    public DataPlaneSettings withAllowPrivateAddresses(boolean allow) {
        return new DataPlaneSettings(controlPlaneUrls, token, nodeId, labels, listen, adminListen, cacheDir, eventLoops, proxy, allow);
    }

    /** The settings as a log line; the token is never printed. */
    public String describe() {
        return "node=" + nodeId + " cp=" + controlPlaneUrls + " token=" + (token.isEmpty() ? "<none>" : "<set>")
                + " listen=" + listen + " admin=" + adminListen + " cache=" + cacheDir + " eventLoops=" + eventLoops
                + " labels=" + labels + " " + proxy.describe() + " allowPrivateAddresses=" + allowPrivateAddresses;
    }
}
