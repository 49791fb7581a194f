package io.ballast.dataplane.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session-ticket keys shared by the whole fleet, so a client that got a ticket from one data plane resumes on
 * another. The control plane sends one secret with each snapshot (derived from its own master key, the same on
 * every control-plane instance); every data plane derives the same ticket key for each 12-hour period from it
 * (HMAC-SHA256 of the period's number). The key of the current period encrypts new tickets; the previous one (a
 * ticket issued just before the rotation) and the next one (a peer whose clock is a little ahead) still decrypt.
 * Without a secret (no control plane reached yet) the engine's own random key is used: resumption then works on
 * this node only. Applies only to the BoringSSL engine; the JDK engine keeps its own tickets. Thread-safe.
 */
public final class SessionTickets {
    static final Duration PERIOD = Duration.ofHours(12);
    private static final System.Logger LOG = System.getLogger(SessionTickets.class.getName());

    private final List<SslContext> contexts = new CopyOnWriteArrayList<>();
    private volatile byte[] secret;
    private volatile long appliedPeriod = Long.MIN_VALUE;

    /** Makes {@code context} issue and accept the fleet's tickets (now, if a secret is known, and on every change). */
    public synchronized void register(SslContext context) {
        contexts.add(context);
        byte[] s = secret;
        if (s != null) {
            apply(context, keys(s, period(Instant.now())));
        }
    }

    /**
     * Stops installing keys into {@code context}; once this returns no call of this class touches it again, so a
     * native context can then be freed (the lock keeps a rotation from racing with the release).
     */
    public synchronized void unregister(SslContext context) {
        contexts.remove(context);
    }

    /** Installs the secret sent by the control plane (base64); the same secret again changes nothing. */
    public synchronized void useSecret(String base64) {
        byte[] next = Base64.getDecoder().decode(base64);
        byte[] current = secret;
        if (current != null && Arrays.equals(current, next)) {
            return;
        }
        secret = next;
        appliedPeriod = Long.MIN_VALUE;
        rotate(Instant.now());
    }

    /** Installs the keys of the period {@code now} falls in, if that is a new period; call it periodically. */
    public synchronized void rotate(Instant now) {
        byte[] s = secret;
        long p = period(now);
        if (s == null || p == appliedPeriod) {
            return;
        }
        OpenSslSessionTicketKey[] keys = keys(s, p);
        contexts.forEach(c -> apply(c, keys));
        appliedPeriod = p;
        LOG.log(System.Logger.Level.INFO, "session ticket keys of period {0} installed (the previous and next still decrypt)", p);
    }

    /** Whether {@code base64} can be a secret: base64 of at least 32 bytes. */
    public static boolean validSecret(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length >= 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean hasSecret() {
        return secret != null;
    }

    static long period(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), PERIOD.toSeconds());
    }

    /** The encrypting key first, then the keys that only decrypt. */
    static OpenSslSessionTicketKey[] keys(byte[] secret, long period) {
        return new OpenSslSessionTicketKey[] {key(secret, period), key(secret, period - 1), key(secret, period + 1)};
    }

    private static OpenSslSessionTicketKey key(byte[] secret, long period) {
        byte[] a = hmac(secret, "ballast ticket key " + period + " a");
        byte[] b = hmac(secret, "ballast ticket key " + period + " b");
        // 16 bytes of name, 16 of HMAC key, 16 of AES key (OpenSslSessionTicketKey's layout).
        return new OpenSslSessionTicketKey(Arrays.copyOfRange(a, 0, 16), Arrays.copyOfRange(a, 16, 32), Arrays.copyOfRange(b, 0, 16));
    }

    private static byte[] hmac(byte[] secret, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void apply(SslContext context, OpenSslSessionTicketKey[] keys) {
        if (context.sessionContext() instanceof OpenSslSessionContext openSsl) {
            openSsl.setTicketKeys(keys);
        }
    }
}
