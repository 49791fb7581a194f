package io.ballast.e2e;

import java.time.Duration;

/**
 * How long and how hard the soak runs. The defaults are the 3-minute CI version; {@code infra/bench/soak.sh} runs the
 * same test with {@code -Dballast.soak.*} set to the 30-minute schedule (durations in seconds), so both share one code
 * path. {@code rate} 0 means half of the maximum measured first with a short closed-loop run.
 */
record SoakSettings(Duration duration, Duration warmUp, Duration pushEvery, Duration flapEvery, Duration flapDown,
                    Duration restartEvery, Duration sampleEvery, Duration settle, Duration calmEnd, double rate, int connections) {

    static SoakSettings fromSystemProperties() {
        return new SoakSettings(
                seconds("duration", 165),
                seconds("warmUp", 30),
                seconds("pushEvery", 10),
                seconds("flapEvery", 60),
                seconds("flapDown", 10),
                // A restart every 5 minutes in the long run; in 3 minutes that would be none, so CI restarts twice.
                seconds("restartEvery", 60),
                seconds("sampleEvery", 10),
                seconds("settle", 10),
                seconds("calmEnd", 40),
                Double.parseDouble(System.getProperty("ballast.soak.rate", "0")),
                Integer.getInteger("ballast.soak.connections", 8));
    }

    private static Duration seconds(String name, long fallback) {
        return Duration.ofSeconds(Long.getLong("ballast.soak." + name, fallback));
    }

    /** Whether a disturbance (flap, restart) may still begin {@code elapsed} into the run: none in the last {@code calmEnd}. */
    boolean mayDisturbAt(Duration elapsed) {
        return elapsed.compareTo(duration.minus(calmEnd)) <= 0;
    }

    String describe() {
        return String.format("%d s at %s, warm-up %d s; a config push every %d s; backend c killed every %d s for %d s; "
                        + "the control plane the data plane is on restarted every %d s; a sample every %d s; %d connections",
                duration.toSeconds(), rate > 0 ? String.format("%.0f req/s (given)", rate) : "50 % of the measured maximum",
                warmUp.toSeconds(), pushEvery.toSeconds(), flapEvery.toSeconds(), flapDown.toSeconds(), restartEvery.toSeconds(),
                sampleEvery.toSeconds(), connections);
    }
}
