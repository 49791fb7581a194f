package io.ballast.controlplane.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real PostgreSQL that breaks connections on request, the way a
 * failover does: every open connection reset at once, new connections refused for a while, or the
 * answer to a COMMIT of a configuration write swallowed together with its connection (the server
 * committed, the client cannot know). Bytes are otherwise passed through untouched.
 */
final class FaultProxy implements AutoCloseable {
    /** PostgreSQL CommandComplete ('C', length 11, "COMMIT\0"): the server's answer to a COMMIT. */
    private static final byte[] COMMIT_COMPLETE = {'C', 0, 0, 0, 11, 'C', 'O', 'M', 'M', 'I', 'T', 0};
    /** The ledger insert every configuration write makes (statement text, sent with prepareThreshold=0). */
    private static final byte[] LEDGER_INSERT = "INSERT INTO config_writes".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger commitsToSwallow = new AtomicInteger();
    private final AtomicInteger swallowed = new AtomicInteger();
    private final String directJdbcUrl;
    private volatile boolean refusing;

    /** @param directJdbcUrl the server's own URL, for a test to check what was stored, around the faults */
    FaultProxy(int targetPort, String directJdbcUrl) throws IOException {
        this.directJdbcUrl = directJdbcUrl;
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String directJdbcUrl() {
        return directJdbcUrl;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Resets every open connection (RST, as when the server's host dies). */
    void cutAll() {
        for (Link link : links) {
            link.cut();
        }
    }

    /** While refusing, new connections are reset at once; existing ones are cut too. */
    void refuse(boolean refuse) {
        refusing = refuse;
        if (refuse) {
            cutAll();
        }
    }

    /** The next {@code n} COMMITs of configuration writes reach the server, but their answers are lost with the connection. */
    void swallowCommitAnswers(int n) {
        commitsToSwallow.addAndGet(n);
    }

    /** How many COMMIT answers were swallowed so far. */
    int swallowed() {
        return swallowed.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 2_000);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                // The server socket closed, or the target is down: the client sees a reset.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** One client connection and its upstream, pumped by two threads. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean ledgerInsertSeen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump("fault-proxy-up", client, upstream, true);
            pump("fault-proxy-down", upstream, client, false);
        }

        void cut() {
            links.remove(this);
            reset(client);
            reset(upstream);
        }

        private void pump(String name, Socket from, Socket to, boolean towardsServer) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                byte[] tail = new byte[0];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        // The pattern may straddle two reads: search the end of the previous one too.
                        byte[] window = concat(tail, buffer, n);
                        boolean matched = false;
                        if (towardsServer && indexOf(window, LEDGER_INSERT) >= 0) {
                            ledgerInsertSeen = true;
                            matched = true;
                        }
                        if (!towardsServer && ledgerInsertSeen && indexOf(window, COMMIT_COMPLETE) >= 0) {
                            ledgerInsertSeen = false;
                            matched = true;
                            if (commitsToSwallow.getAndUpdate(c -> Math.max(0, c - 1)) > 0) {
                                swallowed.incrementAndGet();
                                cut();
                                return;
                            }
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                        // A match is consumed: keep no tail, or the next read would find it again.
                        tail = matched ? new byte[0]
                                : Arrays.copyOfRange(window, Math.max(0, window.length - LEDGER_INSERT.length), window.length);
                    }
                } catch (IOException e) {
                    // One side closed or was cut.
                }
                cut();
            }, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static byte[] concat(byte[] tail, byte[] buffer, int n) {
        byte[] out = Arrays.copyOf(tail, tail.length + n);
        System.arraycopy(buffer, 0, out, tail.length, n);
        return out;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
