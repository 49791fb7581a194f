package io.ballast.dataplane.settings;

import io.ballast.model.Durations;
import io.ballast.model.validation.NodeIds;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link DataPlaneSettings} from environment variables (API.md) and {@code --flag value} or
 * {@code --flag=value} arguments; a flag wins over its variable. Pure: the environment, host name, home
 * directory and core count are passed in, so it is tested without touching the process. Thread-safe.
 */
public final class SettingsParser {

    /** Variable name for each flag; the order is the order of the usage text. */
    private static final Map<String, String> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("--cp-urls", "BALLAST_CP_URLS");
        FLAGS.put("--dp-token", "BALLAST_DP_TOKEN");
        FLAGS.put("--node-id", "BALLAST_NODE_ID");
        FLAGS.put("--labels", "BALLAST_LABELS");
        FLAGS.put("--listen", "BALLAST_LISTEN");
        FLAGS.put("--admin-listen", "BALLAST_ADMIN_LISTEN");
        FLAGS.put("--cache-dir", "BALLAST_CACHE_DIR");
        FLAGS.put("--event-loops", "BALLAST_EVENT_LOOPS");
        FLAGS.put("--trusted-proxies", "BALLAST_TRUSTED_PROXIES");
        FLAGS.put("--access-log", "BALLAST_ACCESS_LOG");
        FLAGS.put("--max-client-connections", "BALLAST_MAX_CLIENT_CONNECTIONS");
        FLAGS.put("--request-head-timeout", "BALLAST_REQUEST_HEAD_TIMEOUT");
        FLAGS.put("--max-request-line", "BALLAST_MAX_REQUEST_LINE");
        FLAGS.put("--max-header-size", "BALLAST_MAX_HEADER_SIZE");
        FLAGS.put("--max-header-count", "BALLAST_MAX_HEADER_COUNT");
        FLAGS.put("--shutdown-grace", "BALLAST_SHUTDOWN_GRACE");
        FLAGS.put("--drain-delay", "BALLAST_DRAIN_DELAY");
        FLAGS.put("--reuse-port", "BALLAST_REUSE_PORT");
        FLAGS.put("--address-policy-allow-private", "BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE");
        FLAGS.put("--tls-listen", "BALLAST_TLS_LISTEN");
        FLAGS.put("--tls-min-version", "BALLAST_TLS_MIN_VERSION");
        FLAGS.put("--cp-ca", "BALLAST_CP_CA");
        FLAGS.put("--cp-pin", "BALLAST_CP_PIN");
        FLAGS.put("--cp-client-cert", "BALLAST_CP_CLIENT_CERT");
        FLAGS.put("--cp-client-key", "BALLAST_CP_CLIENT_KEY");
    }

    /** What each flag does and its default, for {@code --help}; kept apart from FLAGS so adding a flag stays one line. */
    private static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        ProxySettings d = ProxySettings.DEFAULT;
        HELP.put("--cp-urls", "control-plane URLs, comma-separated, tried in turn [http://127.0.0.1:9000]");
        HELP.put("--dp-token", "data-plane token the control plane issued (role dataplane) [none]");
        HELP.put("--node-id", "this node's name in the fleet [the host name]");
        HELP.put("--labels", "labels as key=value,key=value, shown by the control plane [none]");
        HELP.put("--listen", "proxy listen addresses host:port, comma-separated [0.0.0.0:8080]");
        HELP.put("--admin-listen", "admin endpoints /ready /live /status /metrics [127.0.0.1:9901]");
        HELP.put("--cache-dir", "where the last good config is kept [~/.ballast/dp-<node-id>]");
        HELP.put("--event-loops", "Vert.x event loops [one per core]");
        HELP.put("--trusted-proxies", "CIDRs whose X-Forwarded-For is kept; others' is replaced [none]");
        HELP.put("--access-log", "JSON access log: stdout, off or a file path [" + d.accessLog() + "]");
        HELP.put("--max-client-connections", "client connections accepted at once [" + d.maxClientConnections() + "]");
        HELP.put("--request-head-timeout", "time a client has to send the request head (408 after) [" + seconds(d.requestHeadTimeout()) + "]");
        HELP.put("--max-request-line", "longest request line in bytes (414 over) [" + d.maxRequestLine() + "]");
        HELP.put("--max-header-size", "largest request head in bytes (431 over) [" + d.maxHeaderSize() + "]");
        HELP.put("--max-header-count", "most request header fields (431 over) [" + d.maxHeaderCount() + "]");
        HELP.put("--shutdown-grace", "how long requests in flight may take once a stop began [" + seconds(d.shutdownGrace()) + "]");
        HELP.put("--drain-delay", "on SIGTERM or POST /drain: /ready is 503 and the proxy keeps serving this long, then stops accepting ["
                + seconds(d.drainDelay()) + "]");
        HELP.put("--reuse-port", "listen with SO_REUSEPORT so a new process can take the port while this one drains [" + d.reusePort() + "]");
        HELP.put("--address-policy-allow-private", "allow backends in loopback and private ranges (metadata and link-local space is"
                + " always refused, checked on resolved addresses) [true]");
        HELP.put("--tls-listen", "TLS (HTTPS, h2 by ALPN) listen addresses host:port, comma-separated; certificates by SNI [none]");
        HELP.put("--tls-min-version", "oldest TLS version accepted: TLSv1.2 or TLSv1.3 [TLSv1.2]");
        HELP.put("--cp-ca", "PEM file of the CA (or certificate) that https:// control planes are verified against [none]");
        HELP.put("--cp-pin", "sha256:<hex> of the control plane's certificate, accepted whatever its issuer [none]");
        HELP.put("--cp-client-cert", "PEM certificate chain this node presents to https:// control planes (mutual TLS) [none]");
        HELP.put("--cp-client-key", "PEM private key of --cp-client-cert (PKCS#8, PKCS#1 or SEC1) [none]");
    }

    private static String seconds(java.time.Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static final int MAX_EVENT_LOOPS = 256;

    private final Map<String, String> env;
    private final String hostname;
    private final Path home;
    private final int cores;

    public SettingsParser(Map<String, String> env, String hostname, Path home, int cores) {
        this.env = Map.copyOf(env);
        this.hostname = hostname;
        this.home = home;
        this.cores = cores;
    }

    /**
     * Every setting by its variable name, flags over the environment (blank variables left out); e.g. for
     * {@code tls.TlsSettings#fromEnvironment}, which reads the TLS ones.
     */
    public Map<String, String> values(String... args) throws SettingsException {
        Map<String, String> values = new HashMap<>();
        FLAGS.values().forEach(variable -> {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                values.put(variable, v.trim());
            }
        });
        readFlags(args, values);
        return values;
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar ballast-data-plane.jar [flags]\n"
                + "Each flag is also an environment variable; a flag wins over its variable. [default]\n");
        FLAGS.forEach((flag, variable) -> {
            sb.append("  ").append(String.format("%-26s", flag)).append(" or ").append(String.format("%-32s", variable));
            String help = HELP.get(flag);
            sb.append(help == null ? "" : " " + help).append('\n');
        });
        sb.append("  --help                     this text\n");
        return sb.toString().replaceAll(" +\n", "\n");
    }

    public DataPlaneSettings parse(String... args) throws SettingsException {
        Map<String, String> values = values(args);

        List<URI> urls = controlPlaneUrls(values.getOrDefault("BALLAST_CP_URLS", "http://127.0.0.1:9000"));
        String token = values.getOrDefault("BALLAST_DP_TOKEN", "");
        String nodeId = values.getOrDefault("BALLAST_NODE_ID", hostname);
        // The same rule the control plane applies to a hello (shared): the id ends up in its logs and console.
        if (!NodeIds.valid(nodeId)) {
            throw new SettingsException("BALLAST_NODE_ID / --node-id: " + NodeIds.refusal(nodeId).orElseThrow());
        }
        Map<String, String> labels = labels(values.getOrDefault("BALLAST_LABELS", ""));
        List<ListenAddress> listen = new ArrayList<>();
        for (String part : values.getOrDefault("BALLAST_LISTEN", "0.0.0.0:8080").split(",")) {
            if (!part.isBlank()) {
                listen.add(address("BALLAST_LISTEN / --listen", part));
            }
        }
        if (listen.isEmpty()) {
            throw new SettingsException("BALLAST_LISTEN / --listen: give at least one host:port");
        }
        ListenAddress admin = address("BALLAST_ADMIN_LISTEN / --admin-listen",
                values.getOrDefault("BALLAST_ADMIN_LISTEN", "127.0.0.1:9901"));
        Path cacheDir = values.containsKey("BALLAST_CACHE_DIR")
                ? Path.of(values.get("BALLAST_CACHE_DIR"))
                : home.resolve(".ballast").resolve("dp-" + nodeId);
        int eventLoops = eventLoops(values.get("BALLAST_EVENT_LOOPS"));
        return new DataPlaneSettings(urls, token, nodeId, labels, listen, admin, cacheDir, eventLoops, proxy(values),
                allowPrivate(values.get("BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE")));
    }

    private static boolean allowPrivate(String text) throws SettingsException {
        if (text == null || text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new SettingsException("BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE / --address-policy-allow-private: '" + text
                + "' is neither true nor false");
    }

    private static ProxySettings proxy(Map<String, String> values) throws SettingsException {
        ProxySettings d = ProxySettings.DEFAULT;
        List<Cidr> trusted = new ArrayList<>();
        for (String part : values.getOrDefault("BALLAST_TRUSTED_PROXIES", "").split(",")) {
            if (!part.isBlank()) {
                try {
                    trusted.add(Cidr.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new SettingsException("BALLAST_TRUSTED_PROXIES / --trusted-proxies: " + e.getMessage());
                }
            }
        }
        return new ProxySettings(trusted,
                values.getOrDefault("BALLAST_ACCESS_LOG", d.accessLog()),
                number(values, "BALLAST_MAX_CLIENT_CONNECTIONS", "--max-client-connections", d.maxClientConnections(), 1, 1_000_000),
                duration(values, "BALLAST_REQUEST_HEAD_TIMEOUT", "--request-head-timeout", d.requestHeadTimeout()),
                number(values, "BALLAST_MAX_REQUEST_LINE", "--max-request-line", d.maxRequestLine(), 64, 1 << 20),
                number(values, "BALLAST_MAX_HEADER_SIZE", "--max-header-size", d.maxHeaderSize(), 256, 1 << 20),
                number(values, "BALLAST_MAX_HEADER_COUNT", "--max-header-count", d.maxHeaderCount(), 1, 10_000),
                duration(values, "BALLAST_SHUTDOWN_GRACE", "--shutdown-grace", d.shutdownGrace()),
                duration(values, "BALLAST_DRAIN_DELAY", "--drain-delay", d.drainDelay()),
                bool(values, "BALLAST_REUSE_PORT", "--reuse-port", d.reusePort()));
    }

    private static int number(Map<String, String> values, String variable, String flag, int fallback, int min, int max)
            throws SettingsException {
        String text = values.get(variable);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new SettingsException(variable + " / " + flag + ": '" + text + "' is not a number from " + min + " to " + max);
    }

    private static boolean bool(Map<String, String> values, String variable, String flag, boolean fallback)
            throws SettingsException {
        String text = values.get(variable);
        if (text == null) {
            return fallback;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new SettingsException(variable + " / " + flag + ": '" + text + "' is not true or false");
        };
    }

    private static Duration duration(Map<String, String> values, String variable, String flag, Duration fallback)
            throws SettingsException {
        String text = values.get(variable);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(text);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // falls through to the message below
        }
        throw new SettingsException(variable + " / " + flag + ": '" + text + "' is not a positive duration such as 500ms, 10s or 1m");
    }

    private static void readFlags(String[] args, Map<String, String> values) throws SettingsException {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                value = null;
            }
            String variable = FLAGS.get(flag);
            if (variable == null) {
                throw new SettingsException("unknown argument '" + arg + "'\n" + usage());
            }
            if (value == null) {
                throw new SettingsException(flag + " needs a value");
            }
            values.put(variable, value.trim());
        }
    }

    private static List<URI> controlPlaneUrls(String text) throws SettingsException {
        List<URI> urls = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(p);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    throw new SettingsException("BALLAST_CP_URLS / --cp-urls: '" + p + "' is not an http:// or https:// URL");
                }
                urls.add(uri);
            } catch (URISyntaxException e) {
                throw new SettingsException("BALLAST_CP_URLS / --cp-urls: '" + p + "' is not a URL: " + e.getReason());
            }
        }
        if (urls.isEmpty()) {
            throw new SettingsException("BALLAST_CP_URLS / --cp-urls: give at least one URL");
        }
        return urls;
    }

    private static Map<String, String> labels(String text) throws SettingsException {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("BALLAST_LABELS / --labels: '" + part.trim() + "' is not key=value");
            }
            labels.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return labels;
    }

    private static ListenAddress address(String what, String text) throws SettingsException {
        try {
            return ListenAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(what + ": " + e.getMessage());
        }
    }

    private int eventLoops(String text) throws SettingsException {
        if (text == null) {
            return Math.max(1, cores);
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_EVENT_LOOPS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new SettingsException("BALLAST_EVENT_LOOPS / --event-loops: '" + text + "' is not a number from 1 to " + MAX_EVENT_LOOPS);
    }
}
