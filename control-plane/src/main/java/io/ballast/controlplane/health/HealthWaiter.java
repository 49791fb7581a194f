package io.ballast.controlplane.health;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits until a backend's fleet-wide health reaches a state (a drain confirmed {@code drained}, an enabled
 * backend {@code healthy}), for {@code ?wait=} on the admin-state endpoints. The request thread returns at
 * once; one small scheduler thread polls the database (read-only, autocommit, no transaction held between
 * polls) and completes the waiters, so neither event loops nor worker threads are held while waiting.
 * Thread-safe.
 */
@ApplicationScoped
public class HealthWaiter {
    static final long POLL_MILLIS = 250;

    private final HealthQueries queries;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "ballast-health-waiter");
        t.setDaemon(true);
        return t;
    });

    HealthWaiter(HealthQueries queries) {
        this.queries = queries;
    }

    /**
     * @param reached   whether the wanted state was reached before the timeout
     * @param health    the backend's health at that moment; null when the backend was deleted meanwhile
     */
    public record Outcome(boolean reached, BackendHealth health) {
    }

    /** Completes when {@code pool/backend} satisfies {@code wanted}, or with {@code reached=false} after {@code timeout}. */
    public CompletionStage<Outcome> await(String pool, String backend, Predicate<BackendHealth> wanted, Duration timeout) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        timer.execute(() -> poll(pool, backend, wanted, deadline, result));
        return result;
    }

    private void poll(String pool, String backend, Predicate<BackendHealth> wanted, long deadline, CompletableFuture<Outcome> result) {
        try {
            BackendHealth health = queries.backend(pool, backend).orElse(null);
            if (health == null || wanted.test(health)) {
                result.complete(new Outcome(health != null, health));
            } else if (System.nanoTime() - deadline >= 0) {
                result.complete(new Outcome(false, health));
            } else {
                timer.schedule(() -> poll(pool, backend, wanted, deadline, result), POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }
}
