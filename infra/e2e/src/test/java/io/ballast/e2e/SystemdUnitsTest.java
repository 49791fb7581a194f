package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd units (infra/deploy/systemd): systemd's own verifier accepts them with no warning (paths
 * pointed at this checkout, so the executables it checks exist), and they keep the properties the HA design
 * relies on: restart on failure, hardening, a dedicated user, a stop timeout longer than the drain, and a reload
 * that performs the zero-downtime handover.
 */
class SystemdUnitsTest {
    private static final Path UNITS = ManagedProcess.ROOT.resolve("infra/deploy/systemd");

    @TempDir
    Path dir;

    @Test
    void systemdAnalyzeVerifiesBothUnitsWithNoWarning() throws Exception {
        for (String unit : List.of("ballast-data-plane@.service", "ballast-control-plane.service")) {
            String text = Files.readString(UNITS.resolve(unit)).replace("/opt/ballast", ManagedProcess.ROOT.toString());
            Files.writeString(dir.resolve(unit), text);
        }
        Process p = new ProcessBuilder("systemd-analyze", "verify",
                dir.resolve("ballast-data-plane@blue.service").toString(), dir.resolve("ballast-control-plane.service").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.contains("ballast-")).toList()).as("warnings about our units").isEmpty();
    }

    @Test
    void theUnitsRestartOnFailureAreHardenedRunAsTheirOwnUserAndOutlastTheDrain() throws Exception {
        Map<String, List<String>> dp = service(UNITS.resolve("ballast-data-plane@.service"));
        Map<String, List<String>> cp = service(UNITS.resolve("ballast-control-plane.service"));
        for (Map<String, List<String>> unit : List.of(dp, cp)) {
            assertThat(unit.get("Restart")).containsExactly("on-failure");
            assertThat(unit.get("NoNewPrivileges")).containsExactly("yes");
            assertThat(unit.get("ProtectSystem")).containsExactly("strict");
            assertThat(unit.get("User")).containsExactly("ballast");
            assertThat(unit.get("ExecReload")).hasSize(1);
        }
        assertThat(dp.get("ExecStart")).containsExactly("/opt/ballast/data-plane/bin/ballast-data-plane");
        assertThat(cp.get("ExecStart")).containsExactly("/opt/ballast/control-plane/bin/ballast-control-plane");
        assertThat(dp.get("ExecReload")).containsExactly("/opt/ballast/infra/deploy/systemd/ballast-handover %i");
        // The drain (delay + grace from the shipped env file) must end before systemd gives up and kills.
        Map<String, String> env = envFile(UNITS.resolve("data-plane.env"));
        long drainSeconds = seconds(env.get("BALLAST_DRAIN_DELAY")) + seconds(env.get("BALLAST_SHUTDOWN_GRACE"));
        assertThat(seconds(dp.get("TimeoutStopSec").get(0))).isGreaterThan(drainSeconds);
        assertThat(env.get("BALLAST_REUSE_PORT")).isEqualTo("true");
        // The two slots differ in their admin port, which the handover waits on.
        assertThat(envFile(UNITS.resolve("data-plane-blue.env")).get("BALLAST_ADMIN_LISTEN"))
                .isNotEqualTo(envFile(UNITS.resolve("data-plane-green.env")).get("BALLAST_ADMIN_LISTEN"));
        assertThat(Files.isExecutable(UNITS.resolve("ballast-handover"))).isTrue();
    }

    @Test
    void theHandoverScriptRefusesAnUnknownSlot() throws Exception {
        Process p = new ProcessBuilder(UNITS.resolve("ballast-handover").toString(), "purple").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("unknown slot 'purple'");
    }

    /** The [Service] section's keys, each with its values in order. */
    private static Map<String, List<String>> service(Path unit) throws Exception {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(unit)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l;
            } else if (section.equals("[Service]")) {
                int eq = l.indexOf('=');
                keys.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
            }
        }
        return keys;
    }

    private static Map<String, String> envFile(Path file) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return env;
    }

    private static long seconds(String text) {
        return Long.parseLong(text.replace("s", ""));
    }
}
