package io.ballast.e2e;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/** One long-lived HTTPS connection sending requests one after another (answers framed by Content-Length). */
final class KeepAliveTls implements AutoCloseable {
    private final SSLSocket socket;
    private final String host;
    private final String fingerprint;

    KeepAliveTls(TlsProbe probe, int port, String host) throws Exception {
        this.socket = probe.open(port, host);
        this.host = host;
        socket.startHandshake();
        this.fingerprint = OpensslCertificate.fingerprint(socket.getSession().getPeerCertificates()[0]);
    }

    /** The certificate this connection negotiated when it opened. */
    String fingerprint() {
        return fingerprint;
    }

    /** The peer certificate the session reports now (it must not change on an established connection). */
    String currentFingerprint() throws Exception {
        return OpensslCertificate.fingerprint(socket.getSession().getPeerCertificates()[0]);
    }

    int get(String path) throws Exception {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("the connection closed mid-answer: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IllegalStateException("short body");
        }
        return TlsProbe.status(text);
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
