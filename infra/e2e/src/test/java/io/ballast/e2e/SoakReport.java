package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The soak's verdict: failed requests and pushes (goal 0), and for the data plane's RSS, heap after GC, threads and
 * open files the start sample (the first quiet moment after the warm-up) and the end sample (after the run), the
 * change between them and the least-squares slope over every quiet sample in between, each against its threshold. Written as Markdown to {@code target/soak-report.md}
 * (infra/bench/soak.sh copies it to infra/bench/results/).
 */
final class SoakReport {
    /** RSS and the live heap may not grow by more than this between the start and the end (after the warm-up). */
    static final double MEMORY_GROWTH_LIMIT = 0.10;
    /** Threads and open files must end where they started, give or take this many (a probe or a poll in flight). */
    static final int COUNT_TOLERANCE = 2;

    record Check(String what, String measured, String goal, boolean passed) {
    }

    private final List<Check> checks = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    private SoakReport() {
    }

    static SoakReport of(SoakSettings settings, int backends, double maximum, double rate, ConstantRateLoad load, ConfigPusher pusher,
                         SoakSchedule schedule) {
        SoakReport report = new SoakReport();
        report.build(settings, backends, maximum, rate, load, pusher, schedule);
        return report;
    }

    private void build(SoakSettings settings, int backends, double maximum, double rate, ConstantRateLoad load, ConfigPusher pusher,
                       SoakSchedule schedule) {
        long total = load.succeeded() + load.failed();
        checks.add(new Check("failed requests", load.failed() + " of " + total + String.format(" (%.0f req/s; p50 %d ms, p99 %d ms, max %d ms)",
                total / load.elapsedSeconds(), load.latencyMillisAt(0.5), load.latencyMillisAt(0.99), load.latencyMillisAt(1.0)),
                "0", load.failed() == 0 && total > 0));
        List<Long> applied = new ArrayList<>(pusher.applyMillis());
        applied.sort(null);
        String applyTimes = applied.isEmpty() ? "" : String.format(" (push to applied: median %d ms, max %d ms)",
                applied.get(applied.size() / 2), applied.get(applied.size() - 1));
        checks.add(new Check("config pushes applied", applied.size() + " of " + pusher.pushes() + applyTimes,
                "all, each within 30 s", pusher.failures().isEmpty() && pusher.pushes() > 0 && applied.size() == pusher.pushes()));
        checks.add(new Check("backend flaps (SIGKILL, restart, healthy again)", Integer.toString(schedule.flaps()), "≥ 1", schedule.flaps() >= 1));
        checks.add(new Check("control-plane restarts (SIGTERM, start, data plane reconnected)", Integer.toString(schedule.restarts()), "≥ 1",
                schedule.restarts() >= 1));
        checks.add(new Check("problems in the schedule", schedule.problems().isEmpty() ? "none" : String.join("; ", schedule.problems()), "none",
                schedule.problems().isEmpty()));

        ResourceSample first = schedule.first();
        ResourceSample last = schedule.last();
        if (first == null || last == null) {
            checks.add(new Check("quiet start and end samples", (first == null ? "no start" : "a start") + ", " + (last == null ? "no end" : "an end"),
                    "both", false));
        } else {
            // The slope is fitted over every quiet sample from the start sample to the end sample.
            List<ResourceSample> compared = schedule.samples().stream()
                    .filter(s -> s.quiet() && s.atSeconds() >= first.atSeconds() && s.atSeconds() <= last.atSeconds()).toList();
            memory("RSS (MiB)", compared, first, last, ResourceSample::rssKib);
            memory("heap after GC (MiB)", compared, first, last, ResourceSample::heapAfterGcKib);
            count("threads", compared, first, last, ResourceSample::threads);
            count("open files beside connections to backends", compared, first, last, ResourceSample::openFilesBesideBackends);
            int most = compared.stream().mapToInt(ResourceSample::toBackends).max().orElseThrow();
            // Each of the load's connections has at most one request in flight, plus one health probe per backend.
            int bound = backends * (settings.connections() + 1);
            checks.add(new Check("connections to backends", String.format("%d at %.0f s → %d at %.0f s (at most %d)", first.toBackends(),
                    first.atSeconds(), last.toBackends(), last.atSeconds(), most), "≤ " + bound + " (backends × (load connections + 1))", most <= bound));
        }

        lines.add("## Soak (" + Instant.now().toString().substring(0, 16) + "Z, " + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("os.version") + ")");
        lines.add("");
        lines.add(settings.describe() + ".");
        lines.add(String.format("Closed-loop maximum: %s; constant rate: %.0f req/s.", maximum > 0 ? String.format("%.0f req/s", maximum) : "not measured", rate));
        lines.add("Data plane: one event loop, started by data-plane/bin/ballast-data-plane (its shipped JVM settings); "
                + "two control planes on one embedded PostgreSQL; pool `web` (weighted round robin, default retries) of three "
                + "backend processes; samples force a full GC (jcmd GC.run) first.");
        lines.add("");
        lines.add("| check | measured | goal | passed |");
        lines.add("|---|---|---|---|");
        for (Check c : checks) {
            lines.add("| " + c.what() + " | " + c.measured().replace("|", "/") + " | " + c.goal() + " | " + (c.passed() ? "yes" : "**NO**") + " |");
        }
        if (!load.failures().isEmpty()) {
            lines.add("");
            lines.add("Failed requests (first " + load.failures().size() + "): " + String.join("; ", load.failures()));
        }
        if (!pusher.failures().isEmpty()) {
            lines.add("");
            lines.add("Failed pushes: " + String.join("; ", pusher.failures()));
        }
        lines.add("");
        lines.add("Samples (quiet: no disturbance under way and none ended in the last " + settings.settle().toSeconds()
                + " s; the start sample, at the end of the warm-up, and the end sample waited for such a moment):");
        lines.add("");
        lines.add("| t (s) | quiet | RSS (MiB) | heap after GC (MiB) | threads | open files | of which to backends |");
        lines.add("|---|---|---|---|---|---|---|");
        for (ResourceSample s : schedule.samples()) {
            lines.add("| " + String.join(" | ", s.cells().stream().map(String::valueOf).toList()) + " |");
        }
    }

    private void memory(String what, List<ResourceSample> samples, ResourceSample first, ResourceSample last, ToLongFunction<ResourceSample> kib) {
        long start = kib.applyAsLong(first);
        long end = kib.applyAsLong(last);
        double growth = (end - start) / (double) start;
        checks.add(new Check(what, String.format("%.1f at %.0f s → %.1f at %.0f s (%+.1f %%; slope %+.2f MiB per 10 min)", start / 1024.0,
                first.atSeconds(), end / 1024.0, last.atSeconds(), growth * 100, slopePerSecond(samples, kib) * 600 / 1024),
                String.format("growth < %.0f %%", MEMORY_GROWTH_LIMIT * 100), growth < MEMORY_GROWTH_LIMIT));
    }

    private void count(String what, List<ResourceSample> samples, ResourceSample first, ResourceSample last, ToLongFunction<ResourceSample> value) {
        long start = value.applyAsLong(first);
        long end = value.applyAsLong(last);
        checks.add(new Check(what, String.format("%d at %.0f s → %d at %.0f s (slope %+.2f per 10 min)", start, first.atSeconds(), end,
                last.atSeconds(), slopePerSecond(samples, value) * 600), "equal ± " + COUNT_TOLERANCE, Math.abs(end - start) <= COUNT_TOLERANCE));
    }

    /** Least-squares slope of {@code value} over time, per second. */
    static double slopePerSecond(List<ResourceSample> samples, ToLongFunction<ResourceSample> value) {
        double n = samples.size();
        double meanT = samples.stream().mapToDouble(ResourceSample::atSeconds).sum() / n;
        double meanV = samples.stream().mapToDouble(s -> value.applyAsLong(s)).sum() / n;
        double num = 0;
        double den = 0;
        for (ResourceSample s : samples) {
            num += (s.atSeconds() - meanT) * (value.applyAsLong(s) - meanV);
            den += (s.atSeconds() - meanT) * (s.atSeconds() - meanT);
        }
        return den == 0 ? 0 : num / den;
    }

    boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    String markdown() {
        return String.join("\n", lines) + "\n";
    }

    /** Writes the report to {@code target/soak-report.md} and returns where. */
    Path write() {
        Path file = ManagedProcess.LOGS.getParent().resolve("soak-report.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
