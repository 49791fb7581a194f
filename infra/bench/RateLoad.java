import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Constant-rate HTTP/1.1 load with latency recorded from each request's intended send time, so a stall
 * shows up in the percentiles instead of silently lowering the rate (coordinated omission). One selector
 * thread, keep-alive connections, each with its own schedule (connections / rate apart, staggered), after
 * a few unrecorded seconds of warm-up at the same rate. Prints "sent ok errors p50_ms p99_ms p999_ms max_ms"
 * (sent counts the warm-up too; ok and the percentiles only the recorded requests).
 *
 *   java -cp HdrHistogram.jar RateLoad.java HOST PORT PATH RATE CONNECTIONS SECONDS
 */
public final class RateLoad {
    private static final long WARM_UP_SECONDS = 3;

    private static final class Conn {
        SocketChannel ch;
        long intervalNanos;
        long nextIntended;
        long inFlightIntended = -1;
        final ByteBuffer in = ByteBuffer.allocateDirect(2 * 1024 * 1024);
        final StringBuilder head = new StringBuilder();
        long bodyLeft = -1;
        boolean chunked;
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        double rate = Double.parseDouble(args[3]);
        int n = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Selector selector = Selector.open();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        // The first seconds warm up this JVM (and the connections) at the same rate; they are not recorded.
        long recordFrom = start + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
        long end = recordFrom + TimeUnit.SECONDS.toNanos(seconds);
        Conn[] conns = new Conn[n];
        for (int i = 0; i < n; i++) {
            Conn c = new Conn();
            c.ch = SocketChannel.open(new InetSocketAddress(host, port));
            c.ch.socket().setTcpNoDelay(true);
            c.ch.configureBlocking(false);
            c.ch.register(selector, SelectionKey.OP_READ, c);
            c.intervalNanos = (long) (n * 1e9 / rate);
            c.nextIntended = start + c.intervalNanos * i / n;
            conns[i] = c;
        }
        long sent = 0;
        long ok = 0;
        long errors = 0;
        while (true) {
            long now = System.nanoTime();
            boolean pending = false;
            long wake = Long.MAX_VALUE;
            for (Conn c : conns) {
                if (c.inFlightIntended >= 0) {
                    pending = true;
                    continue;
                }
                if (c.nextIntended < end) {
                    if (c.nextIntended <= now) {
                        c.inFlightIntended = c.nextIntended;
                        c.nextIntended += c.intervalNanos;
                        ByteBuffer out = ByteBuffer.wrap(request);
                        while (out.hasRemaining()) {
                            c.ch.write(out);
                        }
                        sent++;
                        pending = true;
                    } else {
                        wake = Math.min(wake, c.nextIntended);
                    }
                }
            }
            if (!pending && wake == Long.MAX_VALUE) {
                break;
            }
            long waitMs = wake == Long.MAX_VALUE ? 100 : Math.max(0, (wake - System.nanoTime()) / 1_000_000);
            if (waitMs == 0) {
                selector.selectNow();
            } else {
                selector.select(waitMs);
            }
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                int r;
                try {
                    r = c.ch.read(c.in);
                } catch (IOException e) {
                    r = -1;
                }
                if (r < 0) {
                    errors++;
                    k.cancel();
                    c.inFlightIntended = -1;
                    c.nextIntended = Long.MAX_VALUE;
                    continue;
                }
                c.in.flip();
                if (parse(c)) {
                    if (c.inFlightIntended >= recordFrom) {
                        h.recordValue(Math.min(h.getHighestTrackableValue(), System.nanoTime() - c.inFlightIntended));
                        ok++;
                    }
                    c.inFlightIntended = -1;
                }
                c.in.compact();
            }
            selector.selectedKeys().clear();
            if (System.nanoTime() > end + TimeUnit.SECONDS.toNanos(10)) {
                errors++;
                break;
            }
        }
        System.out.printf("%d %d %d %.3f %.3f %.3f %.3f%n", sent, ok, errors, h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
    }

    /** Consumes response bytes; true when a whole response (Content-Length framed) has arrived. */
    private static boolean parse(Conn c) {
        while (c.bodyLeft < 0 && c.in.hasRemaining()) {
            c.head.append((char) c.in.get());
            int len = c.head.length();
            if (len >= 4 && c.head.charAt(len - 1) == '\n' && c.head.charAt(len - 2) == '\r' && c.head.charAt(len - 3) == '\n') {
                String lower = c.head.toString().toLowerCase();
                int i = lower.indexOf("content-length:");
                c.bodyLeft = i < 0 ? 0 : Long.parseLong(lower.substring(i + 15, lower.indexOf('\r', i)).trim());
                c.head.setLength(0);
            }
        }
        if (c.bodyLeft >= 0) {
            int take = (int) Math.min(c.bodyLeft, c.in.remaining());
            c.in.position(c.in.position() + take);
            c.bodyLeft -= take;
            if (c.bodyLeft == 0) {
                c.bodyLeft = -1;
                return true;
            }
        }
        return false;
    }
}
