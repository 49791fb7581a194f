package io.ballast.model.validation;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses backend addresses in link-local and cloud-metadata space (169.254.0.0/16, fe80::/10,
 * fd00:ec2::254, Alibaba's 100.100.100.200, Azure's 168.63.129.16, the metadata host names) however
 * they are spelled: dotted, decimal ({@code 2852039166}), hex ({@code 0xA9FEA9FE}), octal
 * ({@code 0251.0376.0251.0376}), shortened ({@code 169.254.43518}), with a trailing dot or in upper
 * case, or embedded in IPv6: IPv4-mapped ({@code ::ffff:169.254.169.254}), IPv4-compatible
 * ({@code ::169.254.169.254}), IPv4-translated, NAT64 ({@code 64:ff9b::a9fe:a9fe}, RFC 6052 and the
 * local-use 64:ff9b:1::/48 of RFC 8215), 6to4 ({@code 2002:a9fe:a9fe::}) and Teredo (server and
 * client address). Pointing a proxy there would let anyone who can write config read the host's cloud
 * credentials (SSRF). Loopback, unspecified ({@code 0.0.0.0}, {@code ::}, which connect to the local
 * host), private (RFC 1918, CGNAT 100.64.0.0/10, fc00::/7, fec0::/10) and {@code localhost} names are
 * allowed, because a load balancer needs them, unless {@code allowPrivate} is false.
 *
 * <p>{@link #refusal(String)} judges what a configuration says; a DNS name that is no literal passes
 * it, so whoever connects must also judge the address the name resolved to with
 * {@link #refusal(InetAddress)} (DNS rebinding makes the answer change between checks). Immutable,
 * thread-safe.
 */
public final class AddressPolicy {
    public static final AddressPolicy DEFAULT = new AddressPolicy(true);

    private static final BigInteger AWS_IPV6_METADATA = parseIpv6("fd00:ec2::254");
    private static final long ALIBABA_METADATA = 0x64_64_64_c8L;  // 100.100.100.200
    private static final long AZURE_WIRESERVER = 0xa8_3f_81_10L;  // 168.63.129.16
    private static final BigInteger V4_MASK = BigInteger.valueOf(0xffffffffL);
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "localhost.localdomain", "ip6-localhost",
            "ip6-loopback", "localhost6", "localhost6.localdomain6");

    /** What an address is, most severe first. */
    private enum Kind { METADATA, LINK_LOCAL, PRIVATE, PUBLIC }

    private final boolean allowPrivate;

    public AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }

    /**
     * Empty when the host may be used; otherwise why it may not. A DNS name passes unless it is a
     * metadata or localhost name: check the resolved address too.
     */
    public Optional<String> refusal(String host) {
        String h = normalise(host);
        if (METADATA_NAMES.contains(h)) {
            return Optional.of("'" + host + "' is a cloud metadata service name");
        }
        if (LOOPBACK_NAMES.contains(h) || h.endsWith(".localhost")) {
            return refusal(host, Kind.PRIVATE);
        }
        long v4 = parseIpv4(h);
        if (v4 >= 0) {
            return refusal(host, classify(v4));
        }
        if (h.contains(":")) {
            BigInteger v6 = parseIpv6(h);
            if (v6 != null) {
                return refusal(host, classify(v6));
            }
        }
        return Optional.empty();
    }

    /** Empty when a connection to this (resolved) address is allowed; otherwise why not. */
    public Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        Kind kind = bytes.length == 4 ? classify(new BigInteger(1, bytes).longValue()) : classify(new BigInteger(1, bytes));
        return refusal(address.getHostAddress(), kind);
    }

    /** Lower case, no brackets, no trailing dots: the spelling a resolver treats as the same name. */
    static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private Optional<String> refusal(String host, Kind kind) {
        return switch (kind) {
            case METADATA -> Optional.of("'" + host + "' is a cloud metadata address");
            case LINK_LOCAL -> Optional.of("'" + host + "' is in link-local / cloud-metadata space (169.254.0.0/16, fe80::/10)");
            case PRIVATE -> allowPrivate ? Optional.empty()
                    : Optional.of("'" + host + "' is a private, loopback or unspecified address, which the address policy forbids");
            case PUBLIC -> Optional.empty();
        };
    }

    private static Kind classify(long v4) {
        if (v4 == ALIBABA_METADATA || v4 == AZURE_WIRESERVER) {
            return Kind.METADATA;
        }
        if ((v4 >>> 16) == 0xa9fe) {
            return Kind.LINK_LOCAL;
        }
        int first = (int) (v4 >>> 24);
        boolean local = first == 0 || first == 127 || first == 10 || (v4 >>> 20) == 0xac1 || (v4 >>> 16) == 0xc0a8
                || (v4 >>> 22) == (0x64400000L >>> 22); // 100.64.0.0/10, shared address space (CGNAT)
        return local ? Kind.PRIVATE : Kind.PUBLIC;
    }

    private static Kind classify(BigInteger v6) {
        if (v6.shiftRight(118).intValue() == 0x3fa) { // fe80::/10
            return Kind.LINK_LOCAL;
        }
        if (v6.equals(AWS_IPV6_METADATA)) {
            return Kind.METADATA;
        }
        if (v6.signum() == 0 || v6.equals(BigInteger.ONE)) { // :: and ::1
            return Kind.PRIVATE;
        }
        BigInteger high96 = v6.shiftRight(32);
        long low32 = v6.and(V4_MASK).longValue();
        if (high96.signum() == 0 // ::a.b.c.d (IPv4-compatible, deprecated but still routed by some stacks)
                || high96.equals(BigInteger.valueOf(0xffffL)) // ::ffff:a.b.c.d (IPv4-mapped)
                || high96.equals(BigInteger.valueOf(0xffff0000L)) // ::ffff:0:a.b.c.d (IPv4-translated)
                || high96.equals(BigInteger.valueOf(0x0064ff9bL).shiftLeft(64)) // 64:ff9b::/96 (NAT64)
                || v6.shiftRight(80).equals(BigInteger.valueOf(0x0064ff9b0001L))) { // 64:ff9b:1::/48 (local NAT64)
            return classify(low32);
        }
        int top16 = v6.shiftRight(112).intValue();
        if (top16 == 0x2002) { // 6to4: 2002:AABB:CCDD::/48 carries a.b.c.d
            return classify(v6.shiftRight(80).and(V4_MASK).longValue());
        }
        if (v6.shiftRight(96).intValue() == 0x20010000) { // Teredo: server in bits 64-95, client inverted in the last 32
            Kind server = classify(v6.shiftRight(64).and(V4_MASK).longValue());
            Kind client = classify(~low32 & 0xffffffffL);
            return server.compareTo(client) <= 0 ? server : client;
        }
        if (v6.shiftRight(121).intValue() == 0x7e || v6.shiftRight(118).intValue() == 0x3fb) { // fc00::/7, fec0::/10
            return Kind.PRIVATE;
        }
        return Kind.PUBLIC;
    }

    /** inet_aton semantics: 1–4 parts, each decimal, 0x-hex or 0-octal; -1 when not an IPv4 literal. */
    static long parseIpv4(String h) {
        if (h.isEmpty() || h.endsWith(".")) {
            return -1;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return -1;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parseNumber(parts[i]);
            if (values[i] < 0) {
                return -1;
            }
        }
        long result = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return -1;
            }
            result |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        int lastBits = 8 * (5 - parts.length);
        if (last >= (1L << lastBits)) {
            return -1;
        }
        return result | last;
    }

    private static long parseNumber(String part) {
        try {
            if (part.startsWith("0x")) {
                return part.length() == 2 || part.length() > 10 ? -1 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return part.length() > 12 ? -1 : Long.parseLong(part.substring(1), 8);
            }
            return part.isEmpty() || part.length() > 10 || !part.chars().allMatch(Character::isDigit) ? -1 : Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parses an IPv6 literal (with :: and an optional dotted IPv4 tail); null when it is not one. */
    static BigInteger parseIpv6(String h) {
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        String tailV4 = null;
        int lastColon = h.lastIndexOf(':');
        if (lastColon >= 0 && h.indexOf('.', lastColon) > 0) {
            tailV4 = h.substring(lastColon + 1);
            h = h.substring(0, lastColon + 1) + "0:0";
        }
        String[] halves = h.split("::", -1);
        if (halves.length > 2) {
            return null;
        }
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
        String[] tail = halves.length == 2 && !halves[1].isEmpty() ? halves[1].split(":", -1) : new String[0];
        int missing = 8 - head.length - tail.length;
        if ((halves.length == 1 && missing != 0) || (halves.length == 2 && missing < 1)) {
            return null;
        }
        BigInteger value = BigInteger.ZERO;
        try {
            for (String group : head) {
                value = value.shiftLeft(16).or(group16(group));
            }
            value = value.shiftLeft(16 * (halves.length == 2 ? missing : 0));
            for (String group : tail) {
                value = value.shiftLeft(16).or(group16(group));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (tailV4 != null) {
            long v4 = parseIpv4(tailV4);
            if (v4 < 0 || tailV4.split("\\.").length != 4) {
                return null;
            }
            value = value.shiftRight(32).shiftLeft(32).or(BigInteger.valueOf(v4));
        }
        return value;
    }

    private static BigInteger group16(String group) {
        if (group.isEmpty() || group.length() > 4) {
            throw new NumberFormatException(group);
        }
        return BigInteger.valueOf(Integer.parseInt(group, 16));
    }
}
