package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client that writes every frame byte by byte, so a test can send what a library would refuse to:
 * CR, LF or NUL in a field value, upper-case or colon-bearing names, header blocks split into (empty)
 * CONTINUATION frames, more streams than the server allows, a SETTINGS frame never acknowledged. Field blocks are
 * encoded as HPACK literals without indexing or Huffman coding (RFC 7541 §6.2.2), which any decoder must accept;
 * what the server sends is decoded with Netty's HPACK decoder. A reader thread records, per stream, the answer's
 * head, body and end (END_STREAM, or RST_STREAM with its code), and GOAWAY or the end of the connection.
 */
final class RawHttp2Client implements AutoCloseable {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final long PROTOCOL_ERROR = 0x1;
    static final long REFUSED_STREAM = 0x7;
    static final long COMPRESSION_ERROR = 0x9;
    static final long ENHANCE_YOUR_CALM = 0xb;

    /** What the server did with one stream. */
    static final class Stream {
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Http2Headers head;
        volatile Http2Headers trailers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        /** The RST_STREAM error code, or -1 when the stream ended normally (or has not ended). */
        volatile long reset = -1;

        int status() {
            return head == null ? -1 : Integer.parseInt(head.status().toString());
        }

        String body() {
            synchronized (body) {
                return body.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final boolean ackSettings;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    private final CountDownLatch goAway = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch settingsSeen = new CountDownLatch(1);
    private final Thread reader;
    private volatile long goAwayCode = -1;
    private volatile int maxConcurrentStreams = -1;

    /**
     * Connects and sends the preface with an empty SETTINGS frame.
     *
     * @param ackSettings whether the server's SETTINGS are acknowledged (a hostile client does not)
     */
    RawHttp2Client(int port, boolean ackSettings) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        this.ackSettings = ackSettings;
        synchronized (this) {
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(SETTINGS, 0, 0, new byte[0]);
            out.flush();
        }
        reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
        reader.start();
    }

    // --- sending ------------------------------------------------------------------------------------------

    /** A header block of literal fields, {@code name, value, name, value …}, as raw bytes (not validated). */
    static byte[] block(String... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            b.write(0x00);
            literal(b, fields[i].getBytes(StandardCharsets.ISO_8859_1));
            literal(b, fields[i + 1].getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }

    /** The pseudo-header fields of a request followed by {@code extra} fields. */
    static byte[] request(String method, String path, String authority, String... extra) {
        List<String> f = new ArrayList<>(List.of(":method", method, ":scheme", "http", ":path", path));
        if (authority != null) {
            f.add(":authority");
            f.add(authority);
        }
        f.addAll(List.of(extra));
        return block(f.toArray(String[]::new));
    }

    private static void literal(ByteArrayOutputStream b, byte[] s) {
        // String length as an HPACK integer with a 7-bit prefix, H bit clear (no Huffman).
        int n = s.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            b.write(n);
        }
        b.writeBytes(s);
    }

    Stream headers(int streamId, byte[] block, boolean endStream, boolean endHeaders) throws IOException {
        Stream s = streams.computeIfAbsent(streamId, id -> new Stream());
        send(HEADERS, (endStream ? END_STREAM : 0) | (endHeaders ? END_HEADERS : 0), streamId, block);
        return s;
    }

    /** A GET (or any bodiless request) in one HEADERS frame. */
    Stream get(int streamId, String path, String authority, String... extra) throws IOException {
        return headers(streamId, request("GET", path, authority, extra), true, true);
    }

    void continuation(int streamId, byte[] fragment, boolean endHeaders) throws IOException {
        send(CONTINUATION, endHeaders ? END_HEADERS : 0, streamId, fragment);
    }

    void data(int streamId, byte[] bytes, boolean endStream) throws IOException {
        send(DATA, endStream ? END_STREAM : 0, streamId, bytes);
    }

    void rst(int streamId, long code) throws IOException {
        send(RST_STREAM, 0, streamId, int32(code));
    }

    synchronized void send(int type, int flags, int streamId, byte[] payload) throws IOException {
        frame(type, flags, streamId, payload);
        out.flush();
    }

    private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        out.write(frameBytes(type, flags, streamId, payload));
    }

    /** One frame as bytes, for tests that send several in a single write. */
    static byte[] frameBytes(int type, int flags, int streamId, byte[] payload) {
        int n = payload.length;
        byte[] f = new byte[9 + n];
        byte[] head = {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags,
            (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId};
        System.arraycopy(head, 0, f, 0, 9);
        System.arraycopy(payload, 0, f, 9, n);
        return f;
    }

    /** Bytes as they are, in one write (frames for streams opened this way are tracked like the others). */
    synchronized void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private static byte[] int32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    // --- receiving ----------------------------------------------------------------------------------------

    /**
     * Waits until the server's SETTINGS arrived (and were acknowledged, if this client does): a test that leaves
     * a header block open must, as no other frame may come between its HEADERS and CONTINUATION frames.
     */
    void awaitSettings() throws InterruptedException {
        if (!settingsSeen.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("no SETTINGS from the server");
        }
    }

    Stream stream(int streamId) {
        return streams.computeIfAbsent(streamId, id -> new Stream());
    }

    /** Waits for the stream's end (answered or reset); false when it did not end in time. */
    boolean awaitEnd(int streamId, long millis) throws InterruptedException {
        return stream(streamId).ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** True when the server sent GOAWAY or closed the connection within {@code millis}. */
    boolean awaitGoAwayOrClose(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (goAway.getCount() == 0 || closed.getCount() == 0) {
                return true;
            }
            Thread.sleep(10);
        }
        return goAway.getCount() == 0 || closed.getCount() == 0;
    }

    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    long goAwayCode() {
        return goAwayCode;
    }

    /** SETTINGS_MAX_CONCURRENT_STREAMS as the server announced it, or -1 before its SETTINGS arrived. */
    int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    private void readLoop() {
        byte[] head = new byte[9];
        ByteBuf block = null;
        int blockStream = 0;
        boolean blockEndsStream = false;
        try {
            while (true) {
                in.readFully(head);
                int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
                int type = head[3] & 0xff;
                int flags = head[4] & 0xff;
                int id = ((head[5] & 0x7f) << 24) | (head[6] & 0xff) << 16 | (head[7] & 0xff) << 8 | head[8] & 0xff;
                byte[] payload = in.readNBytes(length);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & 1) == 0) {
                            for (int i = 0; i + 6 <= payload.length; i += 6) {
                                int key = (payload[i] & 0xff) << 8 | payload[i + 1] & 0xff;
                                if (key == 3) {
                                    maxConcurrentStreams = (int) u32(payload, i + 2);
                                }
                            }
                            if (ackSettings) {
                                send(SETTINGS, 1, 0, new byte[0]);
                            }
                            settingsSeen.countDown();
                        }
                    }
                    case PING -> {
                        if ((flags & 1) == 0) {
                            send(PING, 1, 0, payload);
                        }
                    }
                    case HEADERS, CONTINUATION -> {
                        int off = 0;
                        int end = payload.length;
                        if (type == HEADERS) {
                            if ((flags & 0x8) != 0) {
                                off = 1;
                                end -= payload[0] & 0xff;
                            }
                            if ((flags & 0x20) != 0) {
                                off += 5;
                            }
                            block = Unpooled.buffer();
                            blockStream = id;
                            blockEndsStream = (flags & END_STREAM) != 0;
                        }
                        block.writeBytes(payload, off, end - off);
                        if ((flags & END_HEADERS) != 0) {
                            Http2Headers h = decoder.decodeHeaders(blockStream, block);
                            block.release();
                            block = null;
                            Stream s = stream(blockStream);
                            if (s.head == null || h.status() != null && h.status().charAt(0) == '1') {
                                s.head = h;
                            } else {
                                s.trailers = h;
                            }
                            if (blockEndsStream) {
                                s.ended.countDown();
                            }
                        }
                    }
                    case DATA -> {
                        Stream s = stream(id);
                        int off = (flags & 0x8) != 0 ? 1 : 0;
                        int end = payload.length - (off == 1 ? payload[0] & 0xff : 0);
                        synchronized (s.body) {
                            s.body.write(payload, off, end - off);
                        }
                        if (length > 0) {
                            // Give the window back at once, for the connection and the stream.
                            send(WINDOW_UPDATE, 0, 0, int32(length));
                            if ((flags & END_STREAM) == 0) {
                                send(WINDOW_UPDATE, 0, id, int32(length));
                            }
                        }
                        if ((flags & END_STREAM) != 0) {
                            s.ended.countDown();
                        }
                    }
                    case RST_STREAM -> {
                        Stream s = stream(id);
                        s.reset = u32(payload, 0);
                        s.ended.countDown();
                    }
                    case GOAWAY -> {
                        goAwayCode = u32(payload, 4);
                        goAway.countDown();
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            // EOF, reset or close(): the connection is over.
        } finally {
            if (block != null) {
                block.release();
            }
            closed.countDown();
        }
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | b[at + 3] & 0xffL;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
