package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README, run as written: starts {@code infra/quickstart/start.sh} (build skipped, every port free,
 * state in a temporary directory), runs every shell block from "The two commands" to "Running the
 * pieces" in one bash (so variables carry over, as in the user's terminal) with the quick-start ports
 * rewritten and the explicit placeholders ({@code <backend>}, {@code <revision>}, {@code <older-revision>})
 * filled, and fails when a command does not answer 2xx or does not show what the README says it shows.
 * Then it kills a demo backend with {@code start.sh kill} and checks the quick start keeps serving and
 * says so, and that SIGINT (Ctrl-C) stops everything. Blocks after a {@code readme-test: skip} comment
 * (the build, the CI example against a remote server) are not run.
 */
class ReadmeTourEndToEndTest {
    private static final Pattern BLOCK = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);
    private static final String SKIP = "<!-- readme-test: skip";

    @Test
    void everyTourCommandAnswersAsTheReadmeSays() throws Exception {
        Path work = ManagedProcess.tempDir("readme-tour").toPath();
        Path state = work.resolve(".ballast-quickstart");
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (String name : List.of("CP_PORT", "CP_TLS_PORT", "DP1_PORT", "DP2_PORT", "DP1_ADMIN_PORT", "DP2_ADMIN_PORT", "BACKEND1_PORT", "BACKEND2_PORT")) {
            ports.put(name, Ports.free());
        }
        Path script = ManagedProcess.ROOT.resolve("infra/quickstart/start.sh");
        Path out = ManagedProcess.LOGS.resolve("readme-quickstart.out");
        Files.createDirectories(out.getParent());
        ProcessBuilder quickStart = new ProcessBuilder("bash", script.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        ports.forEach((k, v) -> quickStart.environment().put(k, String.valueOf(v)));
        quickStart.environment().put("BALLAST_QUICKSTART_DIR", state.toString());
        quickStart.environment().put("BALLAST_SKIP_BUILD", "1");
        Process qs = quickStart.start();
        try {
            // The whole quick start (control plane, HTTPS set-up, two data planes over wss://) took over 90 s at load 25.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> read(out).contains("Press Ctrl-C to stop everything.") || !qs.isAlive());
            assertThat(read(out)).as("the quick start's output").contains("Ballast is running.");
            // The data planes reach the control plane over wss:// on its HTTPS port, pinned to its certificate.
            assertThat(read(out)).containsPattern("over wss:// pinned to sha256:[0-9a-f]{64}");
            for (String admin : List.of("DP1_ADMIN_PORT", "DP2_ADMIN_PORT")) {
                HttpResponse<String> status = new Http("http://127.0.0.1:" + ports.get(admin), null).tryGet("/status");
                assertThat(status).isNotNull();
                assertThat(status.body()).contains("wss://127.0.0.1:" + ports.get("CP_TLS_PORT"));
            }

            String tour = tourScript(ports);
            Path tourFile = work.resolve("tour.sh");
            Files.writeString(tourFile, tour);
            Path tourOut = ManagedProcess.LOGS.resolve("readme-tour.out");
            Path statuses = ManagedProcess.LOGS.resolve("readme-tour.statuses");
            Process run = new ProcessBuilder("bash", tourFile.toString(), statuses.toString()).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(tourOut.toFile()).start();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the tour finishes within 60 s").isTrue();
            String said = read(tourOut);
            List<String> answers = Files.readAllLines(statuses);
            assertThat(answers).as("every curl of the tour answered (see %s)", tourOut).hasSizeGreaterThan(20);
            assertThat(answers).as("every command of the tour answers 2xx (output: %s)", said)
                    .allSatisfy(line -> assertThat(line).matches("2\\d\\d .*"));
            assertThat(run.exitValue()).as("the tour script's exit status; output: %s", said).isZero();
            // An idle backend's drain is confirmed by the data planes' drain reports (within about a second), not
            // by their next heartbeats (every 5 s).
            String drained = answers.stream().filter(a -> a.contains("wait=drained")).findFirst().orElseThrow();
            assertThat(Double.parseDouble(drained.substring(drained.lastIndexOf(' ') + 1)))
                    .as("seconds until an idle backend's drain is confirmed").isLessThan(3.0);

            // What the README's comments promise.
            assertThat(said).contains("Hello from demo-");
            assertThat(said).contains("healthy on 2 of 2 data planes");
            assertThat(said).contains("\"secret\":\"blst_");
            assertThat(said).contains("\"dryRun\":true");
            assertThat(Files.exists(state.resolve("ballast.yaml"))).as("the export lands in the quick-start state").isTrue();
            assertThat(Files.exists(work.resolve("ballast.yaml"))).isFalse();

            // High availability, shown rather than hidden.
            ProcessBuilder killer = new ProcessBuilder("bash", script.toString(), "kill", "demo-1").redirectErrorStream(true);
            killer.environment().put("BALLAST_QUICKSTART_DIR", state.toString());
            Process kill = killer.start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> read(out).contains("checked:"));
            String report = read(out);
            assertThat(report).contains("demo-1 exited (status 137); traffic continues on demo-2.")
                    .contains("checked: 10 of 10 requests through :" + ports.get("DP1_PORT") + " answered (by demo-2)")
                    .doesNotContain("\u001b[");
        } finally {
            new ProcessBuilder("kill", "-INT", String.valueOf(qs.pid())).start().waitFor();
            boolean stopped = qs.waitFor(30, TimeUnit.SECONDS);
            if (!stopped) {
                qs.descendants().forEach(ProcessHandle::destroyForcibly);
                qs.destroyForcibly();
            }
            assertThat(stopped).as("Ctrl-C stops the quick start").isTrue();
            assertThat(read(out)).contains("Stopped.");
            assertThat(qs.descendants().filter(ProcessHandle::isAlive).count()).as("no component outlives the quick start").isZero();
        }
    }

    /** The README's blocks as one bash script whose curl records each status in the file named by $1. */
    private static String tourScript(Map<String, Integer> ports) throws IOException {
        String readme = Files.readString(ManagedProcess.ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## The two commands"), readme.indexOf("## Running the pieces"));
        StringBuilder script = new StringBuilder("""
                set -uo pipefail
                statuses=$1; : > "$statuses"
                curl() { command curl -sS -w '%{stderr}%{http_code} %{method} %{url_effective} %{time_total}\\n' "$@" 2>>"$statuses"; }
                revision() { command curl -s -H "Authorization: Bearer $(cat .ballast-quickstart/admin.token)" \\
                  "http://127.0.0.1:@CP@/api/v1/revisions?limit=3" | grep -o '"number":[0-9]*' | sed -n "${1}p" | cut -d: -f2; }
                """.replace("@CP@", String.valueOf(ports.get("CP_PORT"))));
        Matcher m = BLOCK.matcher(section);
        int blocks = 0;
        while (m.find()) {
            String lineBefore = section.substring(section.lastIndexOf('\n', Math.max(0, m.start() - 2)) + 1, m.start());
            if (lineBefore.startsWith(SKIP)) {
                continue;
            }
            blocks++;
            script.append("echo '--- block ").append(blocks).append("'\n").append(fill(m.group(1), ports)).append('\n');
        }
        assertThat(blocks).as("shell blocks found in the README's tour").isGreaterThanOrEqualTo(6);
        return script.toString();
    }

    private static String fill(String block, Map<String, Integer> ports) {
        String[][] quickStartPorts = {{"9000", "CP_PORT"}, {"9443", "CP_TLS_PORT"}, {"8080", "DP1_PORT"}, {"8081", "DP2_PORT"}, {"9901", "DP1_ADMIN_PORT"},
                {"9902", "DP2_ADMIN_PORT"}, {"9101", "BACKEND1_PORT"}, {"9102", "BACKEND2_PORT"}};
        String out = block;
        for (String[] p : quickStartPorts) {
            out = out.replaceAll("127\\.0\\.0\\.1:" + p[0] + "\\b", "127.0.0.1:" + ports.get(p[1]));
            out = out.replace("\"port\":" + p[0], "\"port\":" + ports.get(p[1]));
        }
        List<String> left = new ArrayList<>();
        out = out.replace("<backend>", "127.0.0.1:" + ports.get("BACKEND2_PORT"))
                .replace("<revision>", "$(revision 1)").replace("<older-revision>", "$(revision 3)");
        Matcher placeholder = Pattern.compile("<[a-z-]+>").matcher(out.replace("<token>", ""));
        while (placeholder.find()) {
            left.add(placeholder.group());
        }
        assertThat(left).as("placeholders the test does not know how to fill").isEmpty();
        return out;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
