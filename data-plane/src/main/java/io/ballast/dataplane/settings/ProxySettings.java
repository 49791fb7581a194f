package io.ballast.dataplane.settings;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How the proxy treats clients: whom it trusts, what it logs, and the limits that keep a hostile or broken
 * client from exhausting it. Immutable and thread-safe.
 *
 * @param trustedProxies     peers whose {@code X-Forwarded-For} / {@code Forwarded} are kept and appended to;
 *                           from anyone else those headers are replaced [none]
 * @param accessLog          {@code stdout}, {@code off}, or a file path [stdout]
 * @param maxClientConnections client connections open at once over all listeners; more are closed at accept [10000]
 * @param requestHeadTimeout the whole request head must arrive within this (slowloris) [10s]
 * @param maxRequestLine     longest request line in bytes; longer answers 414 [8192]
 * @param maxHeaderSize      all header lines together in bytes; more answers 431 [16384]
 * @param maxHeaderCount     header fields per request; more answers 431 [100]
 * @param shutdownGrace      how long a stop lets requests in flight finish [30s]
 * @param drainDelay         how long a drain keeps serving (readiness already down) before it stops accepting [5s]
 * @param reusePort          listen with SO_REUSEPORT, so a new process can bind while this one drains [true]
 */
public record ProxySettings(
        List<Cidr> trustedProxies,
        String accessLog,
        int maxClientConnections,
        Duration requestHeadTimeout,
        int maxRequestLine,
        int maxHeaderSize,
        int maxHeaderCount,
        Duration shutdownGrace,
        Duration drainDelay,
        boolean reusePort) {

    public static final ProxySettings DEFAULT = new ProxySettings(List.of(), "stdout", 10_000, Duration.ofSeconds(10),
            8192, 16384, 100, Duration.ofSeconds(30), Duration.ofSeconds(5), true);

    public ProxySettings {
        trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies"));
        requireNonNull(accessLog, "accessLog");
        requireNonNull(requestHeadTimeout, "requestHeadTimeout");
        requireNonNull(shutdownGrace, "shutdownGrace");
        requireNonNull(drainDelay, "drainDelay");
        if (maxClientConnections < 1 || maxRequestLine < 64 || maxHeaderSize < 256 || maxHeaderCount < 1) {
            throw new IllegalArgumentException("proxy limits out of range");
        }
    }

    /** True when the peer at {@code address} is a proxy whose forwarding headers are believed. */
    public boolean trusts(String address) {
        for (Cidr c : trustedProxies) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public ProxySettings withAccessLog(String newAccessLog) {
        return new ProxySettings(trustedProxies, newAccessLog, maxClientConnections, requestHeadTimeout, maxRequestLine,
                maxHeaderSize, maxHeaderCount, shutdownGrace, drainDelay, reusePort);
    }

    public ProxySettings withTrustedProxies(List<Cidr> newTrusted) {
        return new ProxySettings(newTrusted, accessLog, maxClientConnections, requestHeadTimeout, maxRequestLine,
                maxHeaderSize, maxHeaderCount, shutdownGrace, drainDelay, reusePort);
    }

    public ProxySettings withLimits(int newMaxConnections, Duration newHeadTimeout) {
        return new ProxySettings(trustedProxies, accessLog, newMaxConnections, newHeadTimeout, maxRequestLine,
                maxHeaderSize, maxHeaderCount, shutdownGrace, drainDelay, reusePort);
    }

    public ProxySettings withDrain(Duration newDrainDelay, Duration newShutdownGrace) {
        return new ProxySettings(trustedProxies, accessLog, maxClientConnections, requestHeadTimeout, maxRequestLine,
                maxHeaderSize, maxHeaderCount, newShutdownGrace, newDrainDelay, reusePort);
    }

    public String describe() {
        return "trustedProxies=" + trustedProxies + " accessLog=" + accessLog + " maxClientConnections=" + maxClientConnections
                + " requestHeadTimeout=" + requestHeadTimeout.toMillis() + "ms maxRequestLine=" + maxRequestLine
                + " maxHeaderSize=" + maxHeaderSize + " maxHeaderCount=" + maxHeaderCount
                + " shutdownGrace=" + shutdownGrace.toMillis() + "ms drainDelay=" + drainDelay.toMillis() + "ms reusePort=" + reusePort;
    }
}
