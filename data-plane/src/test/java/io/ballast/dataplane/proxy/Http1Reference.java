package io.ballast.dataplane.proxy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict reading of RFC 9112 framing, written apart from the proxy for the fuzz properties to compare against:
 * which requests a byte stream holds, where each body starts and ends, and where the stream stops being HTTP.
 * It accepts what the proxy may leniently accept without changing any body's boundaries (control characters and
 * whitespace before a request line, obs-fold), and refuses every framing a hardened proxy such as HAProxy refuses
 * or could read differently: bare LF, a Transfer-Encoding other than {@code chunked}, Transfer-Encoding in
 * HTTP/1.0, a Content-Length that is not one plain number, a chunk size that is not 1..16 hex digits of at most
 * 2^31 - 1, a chunk without its CRLF. After a request with Transfer-Encoding and Content-Length nothing more is a
 * request (the connection closes).
 */
public final class Http1Reference {
    /** One request as the reference frames it. */
    public record Message(String target, byte[] body, boolean complete) {
    }

    /** The requests in order; {@code error} says the bytes stopped being valid HTTP/1.1 in or after the last one. */
    public record Result(List<Message> messages, boolean error) {
    }

    private final byte[] in;
    private int at;

    private Http1Reference(byte[] in) {
        this.in = in;
    }

    public static Result parse(byte[] in) {
        return new Http1Reference(in).run();
    }

    private Result run() {
        List<Message> out = new ArrayList<>();
        while (true) {
            while (at < in.length && ((in[at] & 0xff) <= 0x20 || in[at] == 0x7f)) {
                at++;
            }
            if (at == in.length) {
                return new Result(out, false);
            }
            try {
                boolean last = message(out);
                if (last) {
                    return new Result(out, at < in.length);
                }
            } catch (Incomplete e) {
                return new Result(out, false);
            } catch (Invalid e) {
                return new Result(out, true);
            }
        }
    }

    /** Reads one message into {@code out}; true when nothing after it may be read as a request. */
    private boolean message(List<Message> out) {
        // Netty (like RFC 9112 §3 allows) splits the request line on runs of whitespace, a bare CR among them.
        String[] parts = requestLine().split("[ \t\u000b\u000c\r]+", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !token(parts[0]) || parts[1].isEmpty() || !visible(parts[1])) {
            throw new Invalid();
        }
        boolean http10 = parts[2].equals("HTTP/1.0");
        if (!http10 && !parts[2].equals("HTTP/1.1")) {
            throw new Invalid();
        }
        List<String[]> fields = fields();
        List<String> te = new ArrayList<>();
        List<String> cl = new ArrayList<>();
        for (String[] f : fields) {
            String name = f[0].toLowerCase(Locale.ROOT);
            if (name.equals("transfer-encoding")) {
                te.add(f[1]);
            } else if (name.equals("content-length")) {
                cl.add(f[1]);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Message partial = new Message(parts[1], new byte[0], false);
        out.add(partial);
        if (!te.isEmpty()) {
            if (http10 || te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
                throw new Invalid();
            }
            try {
                chunks(body);
            } finally {
                out.set(out.size() - 1, new Message(parts[1], body.toByteArray(), false));
            }
            out.set(out.size() - 1, new Message(parts[1], body.toByteArray(), true));
            return !cl.isEmpty();
        }
        if (!cl.isEmpty()) {
            String v = cl.get(0).trim();
            if (cl.size() != 1 || v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new Invalid();
            }
            long n = Long.parseLong(v);
            long available = Math.min(n, in.length - at);
            body.write(in, at, (int) available);
            at += (int) available;
            out.set(out.size() - 1, new Message(parts[1], body.toByteArray(), available == n));
            if (available < n) {
                throw new Incomplete();
            }
            return false;
        }
        out.set(out.size() - 1, new Message(parts[1], new byte[0], true));
        return false;
    }

    private void chunks(ByteArrayOutputStream body) {
        while (true) {
            String sizeLine = line();
            int i = 0;
            long size = 0;
            while (i < sizeLine.length() && Character.digit(sizeLine.charAt(i), 16) >= 0) {
                size = size * 16 + Character.digit(sizeLine.charAt(i), 16);
                i++;
                if (i > 16 || size > Integer.MAX_VALUE) {
                    throw new Invalid();
                }
            }
            if (i == 0) {
                throw new Invalid();
            }
            while (i < sizeLine.length() && (sizeLine.charAt(i) == ' ' || sizeLine.charAt(i) == '\t')) {
                i++;
            }
            if (i < sizeLine.length() && sizeLine.charAt(i) != ';') {
                throw new Invalid();
            }
            if (size == 0) {
                fields();
                return;
            }
            long available = Math.min(size, in.length - at);
            body.write(in, at, (int) available);
            at += (int) available;
            if (available < size) {
                throw new Incomplete();
            }
            if (in.length - at < 2) {
                if (in.length - at == 1 && in[at] != '\r') {
                    throw new Invalid();
                }
                throw new Incomplete();
            }
            if (in[at] != '\r' || in[at + 1] != '\n') {
                throw new Invalid();
            }
            at += 2;
        }
    }

    /** Header (or trailer) fields up to the empty line; obs-fold continues the previous value. */
    private List<String[]> fields() {
        List<String[]> fields = new ArrayList<>();
        while (true) {
            String l = line();
            if (l.isEmpty()) {
                return fields;
            }
            if ((l.charAt(0) == ' ' || l.charAt(0) == '\t')) {
                if (fields.isEmpty()) {
                    throw new Invalid();
                }
                String[] prev = fields.get(fields.size() - 1);
                prev[1] = prev[1] + " " + l.trim();
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || !token(l.substring(0, colon))) {
                throw new Invalid();
            }
            fields.add(new String[] {l.substring(0, colon), l.substring(colon + 1).trim()});
        }
    }

    private String requestLine() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at + 1 >= in.length) {
                throw new Incomplete();
            }
            if (in[at] == '\r' && in[at + 1] == '\n') {
                at += 2;
                return sb.toString();
            }
            int b = in[at] & 0xff;
            if (b == '\n' || (b < 0x20 && b != '\t' && b != '\r' && b != 0x0b && b != 0x0c) || b == 0x7f) {
                throw new Invalid();
            }
            sb.append((char) b);
            at++;
        }
    }

    /** One CRLF-terminated line without control characters (HTAB aside); a bare CR or LF is invalid. */
    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= in.length) {
                throw new Incomplete();
            }
            int b = in[at] & 0xff;
            if (b == '\r') {
                if (at + 1 >= in.length) {
                    throw new Incomplete();
                }
                if (in[at + 1] != '\n') {
                    throw new Invalid();
                }
                at += 2;
                return sb.toString();
            }
            if (b == '\n' || (b < 0x20 && b != '\t') || b == 0x7f) {
                throw new Invalid();
            }
            sb.append((char) b);
            at++;
        }
    }

    private static boolean token(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static final class Incomplete extends RuntimeException {
        Incomplete() {
            super(null, null, false, false);
        }
    }

    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }
}
