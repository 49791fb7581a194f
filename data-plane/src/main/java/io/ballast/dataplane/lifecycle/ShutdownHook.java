package io.ballast.dataplane.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link Drain} when the JVM is asked to stop ({@code SIGTERM}, {@code SIGINT}): the JVM waits for
 * shutdown hooks, so the process exits only when the drain ended or its bound passed (drain delay plus shutdown
 * grace plus a margin for closing the rest). A drain started before ({@code POST /drain}) is joined, not repeated.
 */
public final class ShutdownHook {
    /** Closing what is left after the grace (control-plane socket, admin server, Vert.x) takes well under this. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private ShutdownHook() {
    }

    /** Installs the hook; {@code grace} is how long in-flight requests may take once accepting stopped. */
    public static Thread install(Drain drain, Duration grace) {
        long boundMillis = drain.delay().plus(grace).plus(MARGIN).toMillis();
        Thread hook = new Thread(() -> {
            try {
                // java.util.logging resets itself in its own shutdown hook, so these lines go straight to stderr.
                System.err.println("ballast-data-plane: stop requested: draining (/ready 503), serving for "
                        + drain.delay().toMillis() + " ms more, then letting requests in flight finish");
                drain.start().await(boundMillis, TimeUnit.MILLISECONDS);
                System.err.println("Ballast data plane stopped");
            } catch (Exception e) {
                System.err.println("ballast-data-plane: unclean stop: " + e);
            }
        }, "ballast-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
