package io.ballast.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the soak's timeline against running processes: config pushes, the flapping backend, control-plane restarts
 * and resource samples, each on its own period and thread, until the duration is over; then a last sample in a quiet
 * moment. Anything that goes wrong in a task is kept as a problem rather than lost in an executor.
 */
final class SoakSchedule {
    private static final Duration BACK_BOUND = Duration.ofSeconds(60);

    private final SoakSettings settings;
    private final SoakControlPlanes controlPlanes;
    private final SoakDataPlane dataPlane;
    private final BackendProcess flapping;
    private final java.util.Set<Integer> backendPorts;
    private final ConfigPusher pusher;
    private final SoakDisturbances disturbances;
    private final List<ResourceSample> samples = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private volatile ResourceSample first;
    private volatile ResourceSample last;
    private final long startNanos = System.nanoTime();
    private int flaps;

    private SoakSchedule(SoakSettings settings, SoakControlPlanes controlPlanes, SoakDataPlane dataPlane, List<BackendProcess> backends,
                         ConfigPusher pusher) {
        this.settings = settings;
        this.controlPlanes = controlPlanes;
        this.dataPlane = dataPlane;
        // The last backend flaps; the others carry the traffic meanwhile.
        this.flapping = backends.get(backends.size() - 1);
        this.backendPorts = backends.stream().map(BackendProcess::port).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.pusher = pusher;
        this.disturbances = new SoakDisturbances(settings.settle());
    }

    /** Runs the whole timeline and returns when it is over (the load keeps running; the caller stops it). */
    static SoakSchedule run(SoakSettings settings, SoakControlPlanes controlPlanes, SoakDataPlane dataPlane, List<BackendProcess> backends,
                            ConfigPusher pusher) throws InterruptedException {
        SoakSchedule schedule = new SoakSchedule(settings, controlPlanes, dataPlane, backends, pusher);
        schedule.runTimeline();
        return schedule;
    }

    private void runTimeline() throws InterruptedException {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(5, r -> {
            Thread t = new Thread(r, "soak-schedule");
            t.setDaemon(true);
            return t;
        });
        long push = settings.pushEvery().toMillis();
        long flap = settings.flapEvery().toMillis();
        long restart = settings.restartEvery().toMillis();
        long sample = settings.sampleEvery().toMillis();
        timer.scheduleAtFixedRate(guarded("push", pusher::push), push, push, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(guarded("flap", this::flap), flap / 2, flap, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(guarded("restart", this::restart), restart, restart, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(guarded("sample", this::sample), sample, sample, TimeUnit.MILLISECONDS);
        timer.schedule(guarded("start sample", () -> first = sampleWhenQuiet("the start sample")), settings.warmUp().toMillis(),
                TimeUnit.MILLISECONDS);
        Thread.sleep(settings.duration().toMillis());
        timer.shutdown();
        // A restart or a flap under way finishes (each is bounded: a stop, a start, a wait for the data plane).
        if (!timer.awaitTermination(3, TimeUnit.MINUTES)) {
            timer.shutdownNow();
            problems.add("the schedule's tasks did not finish within 3 minutes of the end");
        }
        last = sampleWhenQuiet("the end sample");
        if (last != null) {
            awaitDataPlane("data plane connected at the end", status -> status.path("controlPlane").path("connected").asBoolean());
        }
    }

    /** The last backend dies (SIGKILL) for {@code flapDown}, then starts again; done when the data plane has it healthy. */
    private void flap() {
        if (!settings.mayDisturbAt(elapsed())) {
            return;
        }
        try {
            disturbances.begin();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            flaps++;
            flapping.kill();
            Thread.sleep(settings.flapDown().toMillis());
            flapping.start();
            awaitDataPlane("backend " + flapping.name() + " healthy again", status ->
                    SoakDataPlane.backend(status, "web", flapping.name()).path("health").asText().equals("healthy"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disturbances.end();
        }
    }

    /** The control plane the data plane is on is stopped and started; done when the data plane is connected again. */
    private void restart() {
        if (!settings.mayDisturbAt(elapsed())) {
            return;
        }
        try {
            disturbances.begin();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            controlPlanes.restartTheOneServing(dataPlane.statusOrNull());
            awaitDataPlane("data plane connected to a control plane", status -> status.path("controlPlane").path("connected").asBoolean());
        } finally {
            disturbances.end();
        }
    }

    private void sample() {
        ResourceSample taken = disturbances.sample(quiet -> ResourceSample.take(dataPlane.pid(), backendPorts, elapsed().toMillis() / 1000.0, quiet));
        synchronized (samples) {
            samples.add(taken);
        }
    }

    /** A sample the verdict compares: no disturbance may begin until one under way has ended and settled. */
    private ResourceSample sampleWhenQuiet(String what) {
        try {
            ResourceSample taken = disturbances.sampleWhenQuiet(BACK_BOUND.plus(settings.settle()),
                    () -> ResourceSample.take(dataPlane.pid(), backendPorts, elapsed().toMillis() / 1000.0, true));
            if (taken == null) {
                synchronized (problems) {
                    problems.add(what + ": no quiet moment within " + BACK_BOUND.plus(settings.settle()).toSeconds() + " s");
                }
                return null;
            }
            synchronized (samples) {
                samples.add(taken);
            }
            return taken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void awaitDataPlane(String what, java.util.function.Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + BACK_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = dataPlane.statusOrNull();
            if (status != null && condition.test(status)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (problems) {
            problems.add(String.format("t=%.0fs: %s: not within %d s", elapsed().toMillis() / 1000.0, what, BACK_BOUND.toSeconds()));
        }
    }

    private Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                synchronized (problems) {
                    problems.add(String.format("t=%.0fs: %s failed: %s", elapsed().toMillis() / 1000.0, name, e));
                }
            }
        };
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The quiet sample at the end of the warm-up, or null if there was none. */
    ResourceSample first() {
        return first;
    }

    /** The quiet sample after the run, or null if there was none. */
    ResourceSample last() {
        return last;
    }

    List<ResourceSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    int flaps() {
        return flaps;
    }

    int restarts() {
        return controlPlanes.restarts();
    }
}
