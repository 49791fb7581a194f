package io.ballast.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class DiffRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // The shape of SnapshotDiff.changes as the control plane answers it.
    private static final String CHANGES = """
            [{"type":"pool","name":"web","change":"updated","fields":[
                {"field":"healthCheck.interval","before":"5s","after":"2s"},
                {"field":"description","before":null,"after":"shop"}]},
             {"type":"backend","name":"web/10.0.0.12:8080","change":"created","fields":[
                {"field":"host","before":null,"after":"10.0.0.12"},{"field":"port","before":null,"after":8080}]},
             {"type":"route","name":"old","change":"deleted","fields":[
                {"field":"hosts","before":["*"],"after":null}]}]""";

    private static Terminal terminal(boolean color) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Terminal(sink, sink, false, color, 80, true);
    }

    @Test
    void rendersAUnifiedDiffPerResourceAndField() throws Exception {
        String out = new DiffRenderer(terminal(false)).render(JSON.readTree(CHANGES), "live (revision 12)", "conf (2 files)");
        assertThat(out.lines().toList()).containsExactly(
                "--- live (revision 12)",
                "+++ conf (2 files)",
                "~ pool web",
                "-   healthCheck.interval: \"5s\"",
                "+   healthCheck.interval: \"2s\"",
                "+   description: \"shop\"",
                "+ backend web/10.0.0.12:8080",
                "+   host: \"10.0.0.12\"",
                "+   port: 8080",
                "- route old",
                "-   hosts: [\"*\"]");
    }

    @Test
    void coloursRemovalsRedAdditionsGreenUpdatesYellowOnlyWhenAllowed() throws Exception {
        String out = new DiffRenderer(terminal(true)).render(JSON.readTree(CHANGES), "a", "b");
        assertThat(out).contains("\u001b[33m~ pool web\u001b[0m")
                .contains("\u001b[31m-   healthCheck.interval: \"5s\"\u001b[0m")
                .contains("\u001b[32m+   healthCheck.interval: \"2s\"\u001b[0m");
        assertThat(new DiffRenderer(terminal(false)).render(JSON.readTree(CHANGES), "a", "b")).doesNotContain("\u001b");
    }

    @Test
    void noChangesRenderNothing() throws Exception {
        assertThat(new DiffRenderer(terminal(false)).render(JSON.readTree("[]"), "a", "b")).isEmpty();
    }

    @Test
    void summariesReadAsPlansAndResults() throws Exception {
        JsonNode summary = JSON.readTree("{\"created\":1,\"updated\":2,\"deleted\":3}");
        assertThat(DiffRenderer.plan(summary)).isEqualTo("1 to create, 2 to update, 3 to delete");
        assertThat(DiffRenderer.done(summary)).isEqualTo("1 created, 2 updated, 3 deleted");
    }
}
