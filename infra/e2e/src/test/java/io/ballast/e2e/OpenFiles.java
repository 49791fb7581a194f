package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A process's open files from {@code /proc/<pid>/fd}, with the TCP sockets among them told apart by
 * {@code /proc/<pid>/net/tcp{,6}}: connections to the backends are a pool whose size follows the load's concurrency
 * (it grows with a burst and shrinks when the backends close idle ones), so the soak bounds them instead of asking
 * them to stay equal; everything else (listeners, the clients' kept-alive connections, the control-plane WebSocket,
 * files, pipes, epoll and event descriptors) must end where it started.
 */
record OpenFiles(int total, int toBackends) {
    private static final String SOCKET = "socket:[";

    static OpenFiles of(long pid, Set<Integer> backendPorts) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Map<String, Integer> remotePortByInode = new HashMap<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            readTcpTable(proc.resolve(table), remotePortByInode);
        }
        int total = 0;
        int toBackends = 0;
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                total++;
                if (target.startsWith(SOCKET)) {
                    Integer remote = remotePortByInode.get(target.substring(SOCKET.length(), target.length() - 1));
                    if (remote != null && backendPorts.contains(remote)) {
                        toBackends++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OpenFiles(total, toBackends);
    }

    /** Rows are "sl local rem st tx:rx tr:when retrnsmt uid timeout inode …", addresses as hex "ADDR:PORT". */
    private static void readTcpTable(Path table, Map<String, Integer> remotePortByInode) {
        List<String> rows;
        try {
            rows = Files.readAllLines(table);
        } catch (IOException e) {
            return;
        }
        for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
            String[] f = row.trim().split("\\s+");
            if (f.length > 9) {
                String remote = f[2];
                remotePortByInode.put(f[9], Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16));
            }
        }
    }
}
