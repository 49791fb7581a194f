package io.ballast.dataplane.metrics;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JSON access log, one line per request. Event loops only {@link #offer} an entry to a bounded queue; one
 * daemon thread formats and writes, so a slow disk or a full pipe never blocks traffic. When the queue is full
 * the line is dropped and counted ({@code ballast_access_log_dropped_total}) rather than waited for.
 * Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    private static final int QUEUE = 65_536;
    private static final int BATCH = 512;

    private final BlockingQueue<AccessLogEntry> queue;
    private final Writer out;
    private final ProxyMetrics metrics;
    private final Thread writer;
    private volatile boolean closing;

    private AccessLog(Writer out, ProxyMetrics metrics) {
        this.out = out;
        this.metrics = metrics;
        this.queue = out == null ? null : new ArrayBlockingQueue<>(QUEUE);
        if (out == null) {
            this.writer = null;
        } else {
            this.writer = new Thread(this::drain, "ballast-access-log");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /**
     * Opens the log named by {@code spec}: {@code off}, {@code stdout}, or a file path (appended to, created if
     * missing).
     *
     * @throws IOException when the file cannot be opened
     */
    public static AccessLog open(String spec, ProxyMetrics metrics) throws IOException {
        String s = spec.trim();
        if (s.equalsIgnoreCase("off")) {
            return new AccessLog(null, metrics);
        }
        if (s.equalsIgnoreCase("stdout")) {
            return new AccessLog(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), metrics);
        }
        return new AccessLog(Files.newBufferedWriter(Path.of(s), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), metrics);
    }

    public boolean enabled() {
        return queue != null;
    }

    /** Hands an entry to the writer thread; never blocks. */
    public void offer(AccessLogEntry entry) {
        if (queue != null && !queue.offer(entry)) {
            metrics.accessLogDropped();
        }
    }

    private void drain() {
        List<AccessLogEntry> batch = new ArrayList<>(BATCH);
        StringBuilder line = new StringBuilder(512);
        while (!closing || !queue.isEmpty()) {
            try {
                AccessLogEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (AccessLogEntry e : batch) {
                    line.setLength(0);
                    e.appendJson(line);
                    out.write(line.append('\n').toString());
                }
                batch.clear();
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                // Losing log lines must not stop the proxy; the counter shows it.
                batch.forEach(x -> metrics.accessLogDropped());
                batch.clear();
            }
        }
    }

    /** Writes what is queued (bounded by two seconds), then stops the writer. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        closing = true;
        try {
            writer.join(2000);
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // nothing more to do at shutdown
        }
    }
}
