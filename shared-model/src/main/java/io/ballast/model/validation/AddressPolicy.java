package io.ballast.model.validation;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses backend addresses in link-local and cloud-metadata space (169.254.0.0/16, fe80::/10,
 * fd00:ec2::254) however they are spelled: dotted, decimal ({@code 2852039166}), hex
 * ({@code 0xA9FEA9FE}), octal ({@code 0251.0376.0251.0376}), shortened ({@code 169.254.43518}) or
 * IPv4-mapped IPv6 ({@code ::ffff:169.254.169.254}). Pointing a proxy there would let anyone who can
 * write config read the host's cloud credentials (SSRF). Loopback and private ranges are allowed,
 * because a load balancer needs them, unless {@code allowPrivate} is false.
 */
public final class AddressPolicy {
    public static final AddressPolicy DEFAULT = new AddressPolicy(true);

    private static final BigInteger AWS_IPV6_METADATA = parseIpv6("fd00:ec2::254");

    private final boolean allowPrivate;

    public AddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Empty when the host may be used; otherwise why it may not. */
    public Optional<String> refusal(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("metadata.google.internal") || h.equals("metadata") || h.equals("instance-data")) {
            return Optional.of("'" + host + "' is a cloud metadata service name");
        }
        long v4 = parseIpv4(h);
        if (v4 < 0 && h.contains(":")) {
            BigInteger v6 = parseIpv6(h);
            if (v6 == null) {
                return Optional.empty();
            }
            if (v6.shiftRight(118).intValue() == 0x3fa) { // fe80::/10
                return Optional.of("'" + host + "' is an IPv6 link-local address (fe80::/10)");
            }
            if (v6.equals(AWS_IPV6_METADATA)) {
                return Optional.of("'" + host + "' is a cloud metadata address");
            }
            if (v6.shiftRight(32).equals(BigInteger.valueOf(0xffffL))) { // ::ffff:a.b.c.d
                v4 = v6.longValue() & 0xffffffffL;
            } else {
                return privateRefusal(host, v6.equals(BigInteger.ONE) || v6.shiftRight(121).intValue() == 0x7e);
            }
        }
        if (v4 < 0) {
            return Optional.empty();
        }
        if ((v4 >>> 16) == 0xa9fe) {
            return Optional.of("'" + host + "' is in link-local / cloud-metadata space (169.254.0.0/16)");
        }
        boolean privateOrLoopback = (v4 >>> 24) == 127 || (v4 >>> 24) == 10 || (v4 >>> 20) == 0xac1 || (v4 >>> 16) == 0xc0a8;
        return privateRefusal(host, privateOrLoopback);
    }

    private Optional<String> privateRefusal(String host, boolean privateOrLoopback) {
        if (privateOrLoopback && !allowPrivate) {
            return Optional.of("'" + host + "' is a private or loopback address, which the address policy forbids");
        }
        return Optional.empty();
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
