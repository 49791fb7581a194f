package io.ballast.dataplane.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The regression corpus of the HTTP/1 fuzz properties: every input that ever failed one, one file each under
 * {@code src/test/resources/fuzz-corpus/http1/} (as Envoy keeps its fuzz corpora), replayed by every build. A file
 * holds the bytes as text: {@code \r}, {@code \n}, {@code \t}, {@code \\} and {@code \xHH} are escapes, a line
 * starting with {@code #} is a comment, and line breaks of the file itself are not part of the input.
 */
public final class Http1FuzzCorpus {
    static final Path DIR = Path.of("src/test/resources/fuzz-corpus/http1");

    private Http1FuzzCorpus() {
    }

    public static List<byte[]> inputs() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(Files::isRegularFile).sorted().map(Http1FuzzCorpus::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("#")) {
                    text.append(line);
                }
            }
            return unescape(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }

    /** The corpus spelling of {@code bytes} (also used in failure messages, so a failing input can be copied in). */
    public static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append(String.format("\\x%02x", c));
                    } else {
                        sb.append((char) c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
