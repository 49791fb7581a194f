package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The measurements of the HA scenarios: each is printed as an {@code HA-RESULT} line and appended to
 * {@code target/ha-results.txt}, which infra/bench/ha.sh turns into a table. {@code -Dballast.ha.rounds=N}
 * repeats the scenarios that support it.
 */
final class HaResults {
    private HaResults() {
    }

    static int rounds() {
        return Integer.getInteger("ballast.ha.rounds", 1);
    }

    static void record(int round, String scenario, long failoverMillis, int failed, String note) {
        String line = "HA-RESULT round=" + round + " scenario=" + scenario + " failover_ms=" + failoverMillis + " failed=" + failed
                + " note=\"" + note + "\"";
        System.out.println(line);
        Path file = ManagedProcess.LOGS.getParent().resolve("ha-results.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(line), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
