package io.ballast.dataplane.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends exact bytes to a port and reads everything until the server closes or goes quiet. */
final class RawClient {
    private RawClient() {
    }

    /** The raw answer; empty when the server closed without a byte. */
    static String exchange(int port, String request, long quietMillis) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) quietMillis);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (SocketException e) {
                // The server closed (or reset) while the request was still going out: what it answered, if anything,
                // may still be readable.
            }
            return readAll(s.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            } catch (SocketTimeoutException | SocketException e) {
                break;
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /** The status code of the last final response in {@code raw} (skipping 1xx), or 0 when there is none. */
    static int status(String raw) {
        int status = 0;
        int from = 0;
        while (true) {
            int i = raw.indexOf("HTTP/1.", from);
            if (i < 0 || raw.length() < i + 12) {
                return status;
            }
            try {
                int s = Integer.parseInt(raw.substring(i + 9, i + 12));
                status = s;
                if (s >= 200) {
                    return s;
                }
            } catch (NumberFormatException e) {
                return status;
            }
            from = i + 12;
        }
    }
}
