package io.ballast.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.settings.SettingsParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TLS listener settings from the environment and from flags ({@code --tls-listen}, {@code --tls-min-version}). */
class TlsSettingsTest {
    private static TlsSettings tls(Map<String, String> env, String... args) throws Exception {
        return TlsSettings.fromEnvironment(new SettingsParser(env, "box-1", Path.of("/home/x"), 2).values(args));
    }

    @Test
    void unsetMeansNoTlsListenerAndTls12AsTheMinimum() throws Exception {
        TlsSettings s = tls(Map.of());
        assertThat(s.listen()).isEmpty();
        assertThat(s.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        TlsSettings s = tls(Map.of("BALLAST_TLS_LISTEN", "0.0.0.0:8443", "BALLAST_TLS_MIN_VERSION", "TLSv1.2"),
                "--tls-listen", "127.0.0.1:9443,127.0.0.1:0", "--tls-min-version=TLSv1.3");
        assertThat(s.listen()).containsExactly(new ListenAddress("127.0.0.1", 9443), new ListenAddress("127.0.0.1", 0));
        assertThat(s.protocols()).containsExactly("TLSv1.3");
        assertThat(tls(Map.of("BALLAST_TLS_LISTEN", "127.0.0.1:8443")).listen()).containsExactly(new ListenAddress("127.0.0.1", 8443));
    }

    @Test
    void badValuesNameTheVariableAndTheFlag() {
        assertThatThrownBy(() -> tls(Map.of(), "--tls-min-version", "TLSv1.1"))
                .hasMessageContaining("BALLAST_TLS_MIN_VERSION / --tls-min-version");
        assertThatThrownBy(() -> tls(Map.of(), "--tls-listen", "8443")).hasMessageContaining("BALLAST_TLS_LISTEN / --tls-listen");
    }

    @Test
    void helpListsTheTlsFlagsWithTheirDefaults() {
        assertThat(SettingsParser.usage()).containsPattern("--tls-listen +or BALLAST_TLS_LISTEN +TLS .*\\[none\\]")
                .containsPattern("--tls-min-version +or BALLAST_TLS_MIN_VERSION +.*\\[TLSv1.2\\]");
    }
}
