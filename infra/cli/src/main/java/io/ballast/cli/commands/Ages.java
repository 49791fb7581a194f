package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** "12s ago", "3m ago", "5h ago", "4d ago": how long ago an instant of the API was, for tables. */
final class Ages {
    private Ages() {
    }

    static String ago(JsonNode instant, Instant now) {
        if (instant == null || instant.isNull() || instant.isMissingNode()) {
            return "never";
        }
        try {
            return ago(Instant.parse(instant.asText()), now);
        } catch (DateTimeParseException e) {
            return instant.asText();
        }
    }

    static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 60) {
            return s + "s ago";
        }
        if (s < 3600) {
            return s / 60 + "m ago";
        }
        if (s < 86_400) {
            return s / 3600 + "h ago";
        }
        return s / 86_400 + "d ago";
    }
}
