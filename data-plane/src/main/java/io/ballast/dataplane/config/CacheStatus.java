package io.ballast.dataplane.config;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the snapshot cache on disk holds what the data plane serves: the error of the last failed write
 * (read-only directory, full disk), cleared by the next successful one, and how many writes failed in all.
 * Thread-safe.
 */
public final class CacheStatus {
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastError;
    private volatile long lastWrittenRevision = -1;

    void written(long revision) {
        lastWrittenRevision = revision;
        lastError = null;
    }

    void failed(long revision, String error) {
        failures.incrementAndGet();
        lastError = error;
    }

    /** True unless the newest write failed. */
    public boolean ok() {
        return lastError == null;
    }

    /** Why the newest write failed; null when it did not. */
    public String lastError() {
        return lastError;
    }

    /** Revision of the newest successful write; -1 when none happened in this process. */
    public long lastWrittenRevision() {
        return lastWrittenRevision;
    }

    /** Failed writes since start. */
    public long failures() {
        return failures.get();
    }
}
