package io.ballast.dataplane.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a single host.
 * Only literal addresses are accepted, never names, so parsing does no DNS. Immutable and thread-safe.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses {@code address[/prefix]}; throws IllegalArgumentException with a readable message. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + t + "' is not an IP address or network (e.g. 10.0.0.0/8, ::1)");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + t + "': the prefix length must be 0 to " + bits);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, t);
    }

    /** True when {@code address} (a literal IP, as Vert.x reports a peer) lies in this network. */
    public boolean contains(String address) {
        byte[] bytes = address == null ? null : literal(address);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(bytes, prefix), network);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    private static byte[] literal(String addr) {
        String a = addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr;
        // Only digits, dots, hex and colons: InetAddress.getByName would otherwise resolve a name through DNS.
        if (a.isEmpty() || !a.matches("[0-9A-Fa-f:.]+") || (!a.contains(":") && !a.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
