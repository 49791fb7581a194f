package io.ballast.dataplane.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --help} explains every flag: what it does and its default. */
class SettingsUsageTest {

    @Test
    void everyFlagHasADescriptionAndADefault() {
        List<String> lines = Arrays.stream(SettingsParser.usage().split("\n")).filter(l -> l.startsWith("  --")).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(17);
        assertThat(lines).filteredOn(l -> !l.startsWith("  --help"))
                .allSatisfy(line -> assertThat(line).matches("  --[a-z-]+ +or BALLAST_[A-Z_]+ +\\S.* \\[[^\\]]+\\]"));
        assertThat(SettingsParser.usage()).contains("--request-head-timeout").contains("[10s]").contains("[http://127.0.0.1:9000]");
    }
}
