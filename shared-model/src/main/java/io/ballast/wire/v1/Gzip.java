package io.ballast.wire.v1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compressed form of a frame: a binary WebSocket message holding the gzip of the frame's UTF-8 JSON.
 * Sent only to a data plane whose hello listed {@link Hello#GZIP}, and only for frames of at least
 * {@link #MIN_BYTES} (a config snapshot of thousands of backends shrinks about tenfold). Compressed once
 * per frame, not per connection, unlike permessage-deflate. Stateless and thread-safe.
 */
public final class Gzip {
    /** Frames shorter than this go as text: compressing them saves little. */
    public static final int MIN_BYTES = 64 * 1024;

    private Gzip() {
    }

    public static byte[] compress(String frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, frame.length() / 8));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            gzip.write(frame.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * The frame a compressed message holds.
     *
     * @param maxBytes the largest frame accepted (a small message must not inflate into gigabytes)
     * @throws WireCodec.WireFormatException when it is not gzip or inflates beyond {@code maxBytes}
     */
    public static String decompress(byte[] message, int maxBytes) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(message), 64 * 1024)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(1024, message.length * 8)));
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new WireCodec.WireFormatException("a compressed frame inflates beyond " + maxBytes + " bytes", null);
                }
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WireCodec.WireFormatException("a binary frame is not gzip: " + e.getMessage(), e);
        }
    }
}
