package io.ballast.dataplane.health;

import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Turns probe exceptions into reason codes. */
final class ProbeFailures {
    private ProbeFailures() {
    }

    static ProbeOutcome classify(Throwable error) {
        // A TLS backend whose certificate does not verify (chain or name) is not a network problem: say so.
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || (t instanceof javax.net.ssl.SSLHandshakeException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
                    .matches(".*(certificate|pkix|subject alternative|verif|unknown_ca|bad_certificate).*"))) {
                return ProbeOutcome.fail("TlsVerificationFailed");
            }
            if (t == t.getCause()) {
                break;
            }
        }
        if (error instanceof javax.net.ssl.SSLException) {
            return ProbeOutcome.fail("TlsHandshakeFailed");
        }
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (error instanceof TimeoutException || message.contains("timed out") || message.contains("timeout")) {
            return ProbeOutcome.fail("Timeout");
        }
        if (error instanceof ConnectException || message.contains("connection refused")) {
            return ProbeOutcome.fail("ConnectionRefused");
        }
        return ProbeOutcome.fail("ConnectionFailed");
    }
}
