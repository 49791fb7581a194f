package io.ballast.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 client connection on a plain socket, kept alive across requests. The soak uses it instead of the
 * JDK client because it owns exactly one socket: the data plane's open-file count then depends only on how many of
 * these exist, not on a client pool that grows with a latency spike and shrinks on its own schedule.
 * Not thread-safe: one thread per connection.
 */
final class RawHttpConnection implements AutoCloseable {
    /** A status code and body as text. */
    record Answer(int status, String body) {
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** The last answer said the server closes the connection after it (Connection: close, HTTP/1.0, or no length). */
    private boolean closeRequested;

    RawHttpConnection(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** A GET on the kept-alive connection (opened first if needed); any break closes it so the next call reconnects. */
    Answer get(String path, String hostHeader) throws IOException {
        return exchange(path, hostHeader, false);
    }

    /** A single GET with {@code Connection: close}, e.g. to an admin endpoint, leaving no socket behind on either side. */
    static Answer getOnce(String host, int port, String path, int timeoutMillis) throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(host, port, timeoutMillis)) {
            return connection.exchange(path, host, true);
        }
    }

    private Answer exchange(String path, String hostHeader, boolean close) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            String head = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Answer answer = readAnswer();
            if (close || closeRequested) {
                close();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = s.getOutputStream();
    }

    private Answer readAnswer() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        closeRequested = parts[0].equals("HTTP/1.0");
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeRequested |= value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes();
            closeRequested = true;
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
                    // trailers are not used by the soak
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("chunk ended early");
            }
            body.write(chunk);
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed" + (line.length() > 0 ? " mid-line: " + line : ""));
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > 16_384) {
                throw new IOException("header line too long");
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken socket: nothing left to release
            }
            socket = null;
            in = null;
            out = null;
        }
        closeRequested = false;
    }
}
