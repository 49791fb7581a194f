package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one process holds at one moment: resident memory, heap in use right after a full GC that this sample forced
 * (so it is the live heap, not garbage waiting for a collection), threads and open files, read from
 * {@code /proc/<pid>} and {@code jcmd}; {@code toBackends} is how many of the open files are connections to the backends
 * (see {@link OpenFiles}). {@code quiet} says nothing was being disturbed on purpose at the time
 * (see {@link SoakDisturbances}); only quiet samples are compared.
 */
record ResourceSample(double atSeconds, boolean quiet, long rssKib, long heapAfterGcKib, int threads, int openFiles, int toBackends) {
    /** A heap line of GC.heap_info, e.g. " def new generation   total 9792K, used 1234K [" or " garbage-first heap   total …". */
    private static final Pattern HEAP_LINE = Pattern.compile("^\\s*[a-zA-Z][\\w -]*?\\s+total \\d+K, used (\\d+)K", Pattern.MULTILINE);
    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);
    private static final Pattern THREADS = Pattern.compile("^Threads:\\s+(\\d+)", Pattern.MULTILINE);

    static ResourceSample take(long pid, java.util.Set<Integer> backendPorts, double atSeconds, boolean quiet) {
        long heap = heapAfterFullGc(pid);
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        OpenFiles files = OpenFiles.of(pid, backendPorts);
        return new ResourceSample(atSeconds, quiet, number(RSS, status), heap, (int) number(THREADS, status), files.total(), files.toBackends());
    }

    /** The open files that must stay equal: all but the pooled connections to the backends. */
    int openFilesBesideBackends() {
        return openFiles - toBackends;
    }

    /** Runs GC.run then GC.heap_info in one jcmd (one extra JVM per sample, not two) and sums the heap spaces' use. */
    private static long heapAfterFullGc(long pid) {
        try {
            Path commands = Files.createTempFile("ballast-soak-jcmd", ".txt");
            try {
                Files.writeString(commands, "GC.run\nGC.heap_info\n");
                Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("jcmd " + pid + " failed:\n" + out);
                }
                long used = 0;
                int spaces = 0;
                for (Matcher m = HEAP_LINE.matcher(out); m.find(); spaces++) {
                    used += Long.parseLong(m.group(1));
                }
                if (spaces == 0) {
                    throw new IllegalStateException("no heap space in GC.heap_info of " + pid + ":\n" + out);
                }
                return used;
            } finally {
                Files.deleteIfExists(commands);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(pattern + " not found in:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** The sample as the cells of a table row, memory in MiB. */
    List<Object> cells() {
        return List.of(String.format("%.0f", atSeconds), quiet ? "yes" : "no", rssKib / 1024, String.format("%.1f", heapAfterGcKib / 1024.0),
                threads, openFiles, toBackends);
    }
}
