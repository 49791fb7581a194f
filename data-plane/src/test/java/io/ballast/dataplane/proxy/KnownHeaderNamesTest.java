package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownHeaderNamesTest {
    private static String find(String line, int start, int length) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        var found = KnownHeaderNames.find(b, start, length);
        return found == null ? null : found.toString();
    }

    @Test
    void findsAKnownNameOnlyInTheSpellingItArrivedIn() {
        assertThat(find("xxContent-Type: a", 2, 12)).isEqualTo("Content-Type");
        assertThat(find("content-type: a", 0, 12)).isEqualTo("content-type");
        assertThat(find("CONTENT-TYPE: a", 0, 12)).isNull();
        assertThat(find("Content-Typo: a", 0, 12)).isNull();
    }

    @Test
    void unknownLengthsAndNamesAreNotFound() {
        assertThat(find("X", 0, 1)).isNull();
        assertThat(find("X-A-Very-Long-Header-Name-Nobody-Lists", 0, 38)).isNull();
        assertThat(find("Hostx", 0, 4)).isEqualTo("Host");
    }

    @Test
    void onlyTheConstantsThemselvesCountAsKnown() {
        byte[] b = "Content-Type".getBytes(StandardCharsets.US_ASCII);
        assertThat(KnownHeaderNames.isConstant(KnownHeaderNames.find(b, 0, b.length))).isTrue();
        assertThat(KnownHeaderNames.isConstant(new io.netty.util.AsciiString("Content-Type"))).isFalse();
        assertThat(KnownHeaderNames.isConstant("Content-Type")).isFalse();
    }
}
