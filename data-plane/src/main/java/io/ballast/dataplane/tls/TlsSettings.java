package io.ballast.dataplane.tls;

import io.ballast.dataplane.settings.ListenAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The TLS listener's settings: {@code BALLAST_TLS_LISTEN} / {@code --tls-listen} (addresses; none: no TLS listener)
 * and {@code BALLAST_TLS_MIN_VERSION} / {@code --tls-min-version} [TLSv1.2; or TLSv1.3]. Immutable.
 */
public record TlsSettings(List<ListenAddress> listen, String minVersion) {
    public static final TlsSettings NONE = new TlsSettings(List.of(), "TLSv1.2");

    public TlsSettings {
        listen = List.copyOf(listen);
        if (!minVersion.equals("TLSv1.2") && !minVersion.equals("TLSv1.3")) {
            throw new IllegalArgumentException("BALLAST_TLS_MIN_VERSION / --tls-min-version: TLSv1.2 or TLSv1.3, not '" + minVersion + "'");
        }
    }

    public static TlsSettings fromEnvironment(Map<String, String> env) {
        List<ListenAddress> listen = new ArrayList<>();
        String raw = env.getOrDefault("BALLAST_TLS_LISTEN", "");
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                try {
                    listen.add(ListenAddress.parse(part.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("BALLAST_TLS_LISTEN / --tls-listen: " + e.getMessage());
                }
            }
        }
        return new TlsSettings(listen, env.getOrDefault("BALLAST_TLS_MIN_VERSION", "TLSv1.2").trim());
    }

    /** The protocols offered: TLS 1.3 always, TLS 1.2 unless the minimum is 1.3. */
    public List<String> protocols() {
        return minVersion.equals("TLSv1.3") ? List.of("TLSv1.3") : List.of("TLSv1.2", "TLSv1.3");
    }
}
