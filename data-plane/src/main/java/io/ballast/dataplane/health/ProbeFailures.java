package io.ballast.dataplane.health;

import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Turns probe exceptions into reason codes. */
final class ProbeFailures {
    private ProbeFailures() {
    }

    static ProbeOutcome classify(Throwable error) {
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
