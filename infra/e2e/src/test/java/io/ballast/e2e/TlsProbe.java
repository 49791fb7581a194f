package io.ballast.e2e;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One HTTPS request on a new connection with the JDK's TLS client (a full handshake with SNI), telling which
 * certificate the server presented and what it answered. Trusts exactly the certificates it is given; never resumes.
 */
final class TlsProbe {
    /** What one connection saw; {@code started} and {@code handshaken} are {@link System#nanoTime()} values. */
    record Seen(String fingerprint, int status, long started, long handshaken) {
    }

    private final javax.net.ssl.TrustManager[] trust;

    TlsProbe(X509Certificate... trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                store.setCertificateEntry("t" + i, trusted[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            trust = factory.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client context of its own for each connection: a shared one would resume sessions (TLS 1.3 tickets), and a
     * resumed session presents no certificate, so it could not tell which one the server serves now.
     */
    private SSLContext fresh() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    /** Connects, handshakes for {@code host}, sends {@code GET path} with {@code Connection: close}; throws on any failure. */
    Seen get(int port, String host, String path) throws Exception {
        long started = System.nanoTime();
        try (SSLSocket socket = open(port, host)) {
            socket.startHandshake();
            long handshaken = System.nanoTime();
            String fingerprint = OpensslCertificate.fingerprint(socket.getSession().getPeerCertificates()[0]);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new Seen(fingerprint, status(readAll(socket.getInputStream())), started, handshaken);
        }
    }

    SSLSocket open(int port, String host) throws Exception {
        SSLSocket socket = (SSLSocket) fresh().getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        socket.setSSLParameters(parameters);
        return socket;
    }

    static int status(String response) {
        if (!response.startsWith("HTTP/1.1 ")) {
            throw new IllegalStateException("not an HTTP answer: " + response);
        }
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
