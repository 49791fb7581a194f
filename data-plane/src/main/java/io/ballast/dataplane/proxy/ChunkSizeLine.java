package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Parses the size line of one chunk (RFC 9112 §7.1: {@code chunk-size [ chunk-ext ] CRLF}) with overflow
 * checks. Netty's own parser multiplies into an {@code int} and only notices a negative result, so nine or more
 * significant hex digits wrap around ({@code 100000000} reads as 0, the last chunk) and the client's chunk data
 * becomes the next request. This one refuses a size over {@link #MAX_SIZE} and more than {@link #MAX_DIGITS}
 * digits, leading whitespace, a bare LF, control characters, and anything after the size but whitespace or a
 * {@code ;} extension. Stateless and thread-safe; one loop over the bytes, no allocation.
 */
final class ChunkSizeLine {
    /** Netty keeps a chunk's size in an {@code int}: a larger one cannot be framed faithfully. */
    static final long MAX_SIZE = Integer.MAX_VALUE;
    /** Sixteen hex digits (leading zeros included) are more than any real client sends. */
    static final int MAX_DIGITS = 16;
    /** The longest size line (extensions included) read before the request is refused. */
    static final int MAX_LINE = 1024;

    static final long MALFORMED = -1;
    static final long TOO_LARGE = -2;

    private ChunkSizeLine() {
    }

    /**
     * The size on the line from {@code from} to the LF at {@code lf} (inclusive), or {@link #MALFORMED} /
     * {@link #TOO_LARGE}.
     */
    static long parse(ByteBuf buf, int from, int lf) {
        if (lf - from > MAX_LINE) {
            return TOO_LARGE;
        }
        int end = lf - 1;
        if (end < from || buf.getByte(end) != '\r') {
            return MALFORMED;
        }
        long size = 0;
        int i = from;
        for (; i < end; i++) {
            int digit = hex(buf.getByte(i));
            if (digit < 0) {
                break;
            }
            if (i - from >= MAX_DIGITS) {
                return TOO_LARGE;
            }
            size = (size << 4) | digit;
            if (size > MAX_SIZE) {
                return TOO_LARGE;
            }
        }
        if (i == from) {
            return MALFORMED;
        }
        while (i < end && (buf.getByte(i) == ' ' || buf.getByte(i) == '\t')) {
            i++;
        }
        if (i == end) {
            return size;
        }
        if (buf.getByte(i) != ';') {
            return MALFORMED;
        }
        // chunk-ext: Netty ignores it and so does the proxy (the backend gets the body re-chunked without it);
        // it only has to be free of control characters.
        for (i++; i < end; i++) {
            byte b = buf.getByte(i);
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                return MALFORMED;
            }
        }
        return size;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
