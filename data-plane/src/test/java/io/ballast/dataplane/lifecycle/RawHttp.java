package io.ballast.dataplane.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection spoken byte by byte, so a test sees exactly what the proxy does with it: the
 * {@code Connection} field of each answer, when the socket is closed, and the HTTP/2 frames it is sent. Nothing
 * is shared with the proxy's own HTTP code, so these tests hold for any engine behind the listen port.
 */
final class RawHttp implements AutoCloseable {
    /** An HTTP/1.1 answer: status, fields (names lower-cased), body. */
    record Answer(int status, Map<String, String> headers, String body) {
        boolean closes() {
            return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    void get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: drain.test\r\n\r\n");
    }

    /** Reads one answer with a Content-Length body (what the test backends send). */
    Answer read() throws IOException {
        String statusLine = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = new DataInputStream(in).readNBytes(length);
        return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    Answer exchange(String path) throws IOException {
        get(path);
        return read();
    }

    /** True when the peer closed the connection (EOF or reset) within {@code millis}; false when it stayed open. */
    boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed as well
        } finally {
            socket.setSoTimeout(15_000);
        }
    }

    /** Starts HTTP/2 with prior knowledge (h2c): the preface and an empty SETTINGS frame. */
    void startHttp2() throws IOException {
        send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        socket.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
        socket.getOutputStream().flush();
    }

    /** Reads HTTP/2 frames until one of {@code type} arrives (true) or the connection ends without one (false). */
    boolean awaitFrame(int type) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] head = new byte[9];
        try {
            while (true) {
                data.readFully(head);
                int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
                data.readNBytes(length);
                if ((head[3] & 0xff) == type) {
                    return true;
                }
                if ((head[3] & 0xff) == 4 && (head[4] & 1) == 0) {
                    // Acknowledge the server's SETTINGS as RFC 9113 §6.5.3 asks.
                    socket.getOutputStream().write(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0});
                    socket.getOutputStream().flush();
                }
            }
        } catch (EOFException e) {
            return false;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed after " + out.size() + " bytes of a line");
            }
            if (b != '\r') {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
