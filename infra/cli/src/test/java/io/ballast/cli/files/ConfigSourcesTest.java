package io.ballast.cli.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aDirectoryIsMergedInNameOrderAndRemembersWhereEachItemCameFrom() throws Exception {
        write("b-routes.yaml", "routes:\n  - { name: site, pool: web }\n  - { name: api, pool: api }\n");
        write("a-pools.yaml", "pools:\n  - name: web\n  - name: api\n");
        write("c-more.json", "{\"pools\": [{\"name\": \"static\", \"backends\": [{\"host\": \"10.0.0.1\", \"port\": 80}]}]}");
        write("notes.txt", "not a config file");
        write(".hidden.yaml", "pools: [{name: hidden}]");
        MergedConfig merged = ConfigSources.read(dir);
        assertThat(merged.files()).extracting(p -> p.getFileName().toString()).containsExactly("a-pools.yaml", "b-routes.yaml", "c-more.json");
        assertThat(merged.document().path("pools")).extracting(n -> n.path("name").asText()).containsExactly("web", "api", "static");
        assertThat(merged.document().path("routes")).hasSize(2);
        assertThat(merged.locate("pools[2].backends[0].port")).isEqualTo(dir.resolve("c-more.json") + ": pools[0].backends[0].port");
        assertThat(merged.locate("routes[1].pool")).isEqualTo(dir.resolve("b-routes.yaml") + ": routes[1].pool");
        assertThat(merged.locate("pools")).isEqualTo("pools");
        assertThat(merged.describe(dir)).isEqualTo(dir + " (3 files)");
    }

    @Test
    void aNameDefinedInTwoFilesIsAnErrorNamingBoth() throws Exception {
        Path a = write("a.yaml", "pools:\n  - name: web\n");
        Path b = write("b.yaml", "pools:\n  - name: other\n  - name: web\n");
        assertThatThrownBy(() -> ConfigSources.read(dir)).isInstanceOf(CliException.class)
                .hasMessage("pool \"web\" is defined twice: in " + a + " and in " + b);
    }

    @Test
    void poolsAndRoutesMayShareANameButTwoRoutesMayNot() throws Exception {
        write("a.yaml", "pools: [{name: web}]\nroutes: [{name: web, pool: web}]\n");
        assertThat(ConfigSources.read(dir).document().path("routes")).hasSize(1);
        write("b.yaml", "routes: [{name: web, pool: web}]\n");
        assertThatThrownBy(() -> ConfigSources.read(dir)).hasMessageContaining("route \"web\" is defined twice");
    }

    @Test
    void aDuplicateInsideOneFileSaysSo() throws Exception {
        Path a = write("a.yaml", "routes: [{name: r, pool: p}, {name: r, pool: q}]\n");
        assertThatThrownBy(() -> ConfigSources.read(a)).hasMessage("route \"r\" is defined twice: both in " + a);
    }

    @Test
    void severalYamlDocumentsInOneFileAreMerged() throws Exception {
        Path a = write("a.yaml", "pools: [{name: web}]\n---\nroutes: [{name: site, pool: web}]\n");
        MergedConfig merged = ConfigSources.read(a);
        assertThat(merged.document().path("pools")).hasSize(1);
        assertThat(merged.document().path("routes")).hasSize(1);
        assertThat(merged.locate("routes[0].pool")).isEqualTo(a + ": routes[0].pool");
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLine() throws Exception {
        Path a = write("a.yaml", "pools: [\n  - x\n");
        assertThatThrownBy(() -> ConfigSources.read(a)).isInstanceOf(CliException.class)
                .hasMessageStartingWith(a + ": line 2, column 3: ")
                .hasMessageNotContaining("^");
    }

    @Test
    void theTopMustBeAMapping() throws Exception {
        Path a = write("a.yaml", "- just\n- a list\n");
        assertThatThrownBy(() -> ConfigSources.read(a)).hasMessageContaining("expected a mapping");
    }

    @Test
    void anEmptyDirectoryOrAMissingPathIsAnError() {
        assertThatThrownBy(() -> ConfigSources.read(dir)).hasMessageContaining("holds no *.yaml");
        assertThatThrownBy(() -> ConfigSources.read(dir.resolve("nope.yaml"))).hasMessageContaining("no such file or directory");
    }

    @Test
    void aTopLevelSettingGivenByTwoFilesIsAnError() throws Exception {
        write("a.yaml", "policy: strict\n");
        write("b.yaml", "policy: lax\n");
        assertThatThrownBy(() -> ConfigSources.read(dir)).hasMessageContaining("'policy' is set twice");
    }
}
