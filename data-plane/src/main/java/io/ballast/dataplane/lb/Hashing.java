package io.ballast.dataplane.lb;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit hash of ring positions and request keys: FNV-1a over the UTF-8 bytes, then the SplitMix64
 * finaliser, because FNV alone clusters similar strings ({@code 10.0.0.1}, {@code 10.0.0.2}) on the ring.
 * The same input gives the same value on every data plane and JVM. Stateless and thread-safe.
 */
public final class Hashing {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    public static long hash64(String text) {
        long h = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** An opaque, stable id for {@code identity} (e.g. {@code pool/host:port}): 16 hex digits. */
    public static String opaqueId(String identity) {
        return String.format("%016x", hash64(identity));
    }
}
