package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TESTING.md scenario 10, with real Patroni 3.0, etcd 3.4 and PostgreSQL 15 from Debian (installed
 * by infra/test.sh): one round of infra/bench/patroni-failover.sh's driver, which starts one etcd,
 * two PostgreSQL nodes under Patroni (synchronous_mode), the two packaged control planes on a
 * multi-host URL and the packaged data plane with traffic, SIGKILLs the primary's postmaster under a
 * stream of writes, and fails unless writes resume within ttl + 10 s, every 2xx write is present and
 * recorded once, revision numbers are 1..N, the data plane converges on the newest revision and no
 * proxied request failed. It cleans up everything it started, also on failure. About 1–2 minutes.
 */
class PatroniFailoverEndToEndTest {
    private static final Path DRIVER = ManagedProcess.ROOT.resolve("infra/bench/patroni_failover.py");

    @Test
    void writesResumeOnThePromotedReplicaAndNothingIsLostDoubledOrFailed() throws Exception {
        Files.createDirectories(ManagedProcess.LOGS);
        Path log = ManagedProcess.LOGS.resolve("patroni-failover.log");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", DRIVER.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ROUNDS", "1");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process driver = builder.start();
        boolean finished = driver.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            // SIGTERM: the driver's cleanup stops what it started.
            driver.destroy();
            driver.waitFor(2, TimeUnit.MINUTES);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("finished within 6 minutes:\n" + output).isTrue();
        assertThat(driver.exitValue()).as(output).isZero();

        List<String> lines = output.lines().toList();
        JsonNode summary = E2e.JSON.readTree(lines.get(lines.size() - 1));
        JsonNode round = summary.path("rounds").get(0);
        assertThat(round.path("promoted").asText()).isNotEqualTo(round.path("killed").asText());
        assertThat(round.path("outage_s").asDouble()).isLessThanOrEqualTo(summary.path("ttl").asDouble() + 10);
        assertThat(round.path("writes").asInt()).isPositive();
        assertThat(summary.path("proxied_ok").asInt()).isPositive();
        assertThat(summary.path("proxied_failed").asInt()).isZero();
    }
}
