package io.ballast.dataplane.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsParserTest {
    private static final Path HOME = Path.of("/home/test");

    private static SettingsParser parser(Map<String, String> env) {
        return new SettingsParser(env, "box-1", HOME, 4);
    }

    @Test
    void defaultsFollowApiMd() throws Exception {
        DataPlaneSettings s = parser(Map.of()).parse();
        assertThat(s.controlPlaneUrls()).containsExactly(URI.create("http://127.0.0.1:9000"));
        assertThat(s.token()).isEmpty();
        assertThat(s.nodeId()).isEqualTo("box-1");
        assertThat(s.labels()).isEmpty();
        assertThat(s.listen()).containsExactly(new ListenAddress("0.0.0.0", 8080));
        assertThat(s.adminListen()).isEqualTo(new ListenAddress("127.0.0.1", 9901));
        assertThat(s.cacheDir()).isEqualTo(HOME.resolve(".ballast/dp-box-1"));
        assertThat(s.eventLoops()).isEqualTo(4);
    }

    @Test
    void environmentIsRead() throws Exception {
        DataPlaneSettings s = parser(Map.of(
                "BALLAST_CP_URLS", "http://a:9000, https://b:9443/base",
                "BALLAST_DP_TOKEN", "secret",
                "BALLAST_NODE_ID", "edge-7",
                "BALLAST_LABELS", "zone=a, tier=edge",
                "BALLAST_LISTEN", "127.0.0.1:8080,[::1]:8081",
                "BALLAST_ADMIN_LISTEN", "0.0.0.0:9902",
                "BALLAST_CACHE_DIR", "/var/cache/ballast",
                "BALLAST_EVENT_LOOPS", "2")).parse();
        assertThat(s.controlPlaneUrls()).containsExactly(URI.create("http://a:9000"), URI.create("https://b:9443/base"));
        assertThat(s.token()).isEqualTo("secret");
        assertThat(s.nodeId()).isEqualTo("edge-7");
        assertThat(s.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("zone", "a", "tier", "edge"));
        assertThat(s.listen()).containsExactly(new ListenAddress("127.0.0.1", 8080), new ListenAddress("::1", 8081));
        assertThat(s.adminListen()).isEqualTo(new ListenAddress("0.0.0.0", 9902));
        assertThat(s.cacheDir()).isEqualTo(Path.of("/var/cache/ballast"));
        assertThat(s.eventLoops()).isEqualTo(2);
        assertThat(s.describe()).doesNotContain("secret");
    }

    @Test
    void flagsWinOverEnvironmentInBothSpellings() throws Exception {
        DataPlaneSettings s = parser(Map.of("BALLAST_NODE_ID", "from-env", "BALLAST_EVENT_LOOPS", "3"))
                .parse("--node-id", "from-flag", "--event-loops=1", "--listen", "127.0.0.1:0");
        assertThat(s.nodeId()).isEqualTo("from-flag");
        assertThat(s.eventLoops()).isEqualTo(1);
        assertThat(s.listen()).containsExactly(new ListenAddress("127.0.0.1", 0));
        assertThat(s.cacheDir()).isEqualTo(HOME.resolve(".ballast/dp-from-flag"));
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        List<Map<String, String>> bad = List.of(
                Map.of("BALLAST_CP_URLS", "ftp://x"),
                Map.of("BALLAST_CP_URLS", "not a url"),
                Map.of("BALLAST_LISTEN", "8080"),
                Map.of("BALLAST_LISTEN", "127.0.0.1:99999"),
                Map.of("BALLAST_ADMIN_LISTEN", "::1:9901"),
                Map.of("BALLAST_EVENT_LOOPS", "zero"),
                Map.of("BALLAST_EVENT_LOOPS", "0"),
                Map.of("BALLAST_LABELS", "novalue"),
                Map.of("BALLAST_NODE_ID", "has space"));
        for (Map<String, String> env : bad) {
            String variable = env.keySet().iterator().next();
            assertThatThrownBy(() -> parser(env).parse()).as(env.toString())
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining(variable);
        }
    }

    @Test
    void unknownOrIncompleteFlagsAreRefused() {
        assertThatThrownBy(() -> parser(Map.of()).parse("--nope", "x")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("--nope");
        assertThatThrownBy(() -> parser(Map.of()).parse("--listen")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("--listen needs a value");
    }

    @Test
    void drainSettingsFollowApiMdAndAreRead() throws Exception {
        ProxySettings d = parser(Map.of()).parse().proxy();
        assertThat(d.drainDelay()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(d.shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(d.reusePort()).isTrue();
        ProxySettings s = parser(Map.of("BALLAST_DRAIN_DELAY", "250ms", "BALLAST_REUSE_PORT", "false")).parse("--shutdown-grace", "2s").proxy();
        assertThat(s.drainDelay()).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(s.reusePort()).isFalse();
        assertThat(s.shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(parser(Map.of()).parse("--reuse-port=on").proxy().reusePort()).isTrue();
        for (Map<String, String> env : List.of(Map.of("BALLAST_DRAIN_DELAY", "soon"), Map.of("BALLAST_REUSE_PORT", "maybe"))) {
            assertThatThrownBy(() -> parser(env).parse()).isInstanceOf(SettingsException.class)
                    .hasMessageContaining(env.keySet().iterator().next());
        }
        assertThat(SettingsParser.usage()).contains("--drain-delay").contains("BALLAST_DRAIN_DELAY").contains("SO_REUSEPORT");
    }

    @Test
    void theAddressPolicyMirrorsTheControlPlanesVariable() throws Exception {
        assertThat(parser(Map.of()).parse().allowPrivateAddresses()).isTrue();
        assertThat(parser(Map.of("BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE", "false")).parse().allowPrivateAddresses()).isFalse();
        assertThat(parser(Map.of()).parse("--address-policy-allow-private=FALSE").allowPrivateAddresses()).isFalse();
        assertThatThrownBy(() -> parser(Map.of("BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE", "no")).parse())
                .isInstanceOf(SettingsException.class).hasMessageContaining("BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE");
    }

    @Test
    void nodeIdsThatCouldForgeALogLineOrCarryMarkupAreRefused() {
        for (String bad : List.of("edge\r\nforged", "<b>x</b>", "../etc", "-x", "a b", "a".repeat(254))) {
            assertThatThrownBy(() -> parser(Map.of("BALLAST_NODE_ID", bad)).parse()).as(bad)
                    .isInstanceOf(SettingsException.class).hasMessageContaining("BALLAST_NODE_ID")
                    .hasMessageNotContaining(bad);
        }
    }
}
