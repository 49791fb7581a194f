package io.ballast.model.probe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Rendezvous (highest-random-weight) hashing of backends onto data planes: each node gets a score per backend and
 * the {@code n} highest scores probe it. A node that joins or leaves moves only the backends it wins or held
 * (about {@code n / fleet} of them), and every control-plane instance computes the same answer from the same ids.
 * Stateless and thread-safe.
 */
public final class ProberChoice {
    private ProberChoice() {
    }

    /**
     * The {@code n} nodes (fewer when the fleet is smaller) that probe {@code backendKey}, best score first.
     *
     * @param backendKey e.g. {@code pool/backend}
     */
    public static List<String> probers(Collection<String> nodeIds, String backendKey, int n) {
        List<Scored> scored = new ArrayList<>(nodeIds.size());
        for (String node : nodeIds) {
            scored.add(new Scored(node, score(node, backendKey)));
        }
        // Ties (astronomically rare with 64 bits) fall to the node id, so the order is total and the same everywhere.
        scored.sort(Comparator.comparingLong(Scored::score).reversed().thenComparing(Scored::node));
        List<String> out = new ArrayList<>(Math.min(n, scored.size()));
        for (int i = 0; i < n && i < scored.size(); i++) {
            out.add(scored.get(i).node());
        }
        return out;
    }

    /** The key {@link #probers} takes for a backend. */
    public static String key(String pool, String backend) {
        return pool + "/" + backend;
    }

    private static long score(String node, String key) {
        // SHA-256 rather than String.hashCode: the spread must be good for similar ids (dp-1, dp-2 …) and stable
        // across JVMs and versions.
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(node.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        byte[] d = sha.digest(key.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    private record Scored(String node, long score) {
    }
}
