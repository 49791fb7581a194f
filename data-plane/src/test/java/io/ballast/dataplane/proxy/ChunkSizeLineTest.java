package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** {@link ChunkSizeLine}: sizes as RFC 9112 §7.1 spells them, and nothing that wraps or is ambiguous. */
class ChunkSizeLineTest {
    private static long parse(String line) {
        ByteBuf buf = Unpooled.copiedBuffer(line, StandardCharsets.ISO_8859_1);
        return ChunkSizeLine.parse(buf, 0, buf.writerIndex() - 1);
    }

    @Property
    void everySizeUpTo2Pow31Minus1ReadsBackInAnySpelling(@ForAll @LongRange(min = 0, max = Integer.MAX_VALUE) long size,
                                                         @ForAll boolean upper, @ForAll @IntRange(max = 8) int zeros) {
        String hex = "0".repeat(zeros) + (upper ? Long.toHexString(size).toUpperCase() : Long.toHexString(size));
        if (hex.length() > ChunkSizeLine.MAX_DIGITS) {
            assertThat(parse(hex + "\r\n")).isEqualTo(ChunkSizeLine.TOO_LARGE);
            return;
        }
        assertThat(parse(hex + "\r\n")).isEqualTo(size);
        assertThat(parse(hex + " ;name=\"value\"\r\n")).isEqualTo(size);
        assertThat(parse(hex + "\t\r\n")).isEqualTo(size);
    }

    @Property
    void aSizeBeyond2Pow31Minus1IsRefusedNeverWrapped(@ForAll @LongRange(min = Integer.MAX_VALUE + 1L) long size) {
        assertThat(parse(Long.toHexString(size) + "\r\n")).isEqualTo(ChunkSizeLine.TOO_LARGE);
    }

    /** Against an arbitrary-precision reading: any line of hex digits is its value, or refused as too large. */
    @Property
    void anyRunOfHexDigitsIsItsValueOrTooLarge(@ForAll("hexDigits") @StringLength(min = 1, max = 40) String digits) {
        BigInteger value = new BigInteger(digits, 16);
        long parsed = parse(digits + "\r\n");
        if (digits.length() <= ChunkSizeLine.MAX_DIGITS && value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0) {
            assertThat(parsed).isEqualTo(value.longValueExact());
        } else {
            assertThat(parsed).isEqualTo(ChunkSizeLine.TOO_LARGE);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> hexDigits() {
        return net.jqwik.api.Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(1).ofMaxLength(40);
    }

    @Example
    void malformedLinesAreRefused() {
        for (String line : new String[] {"\r\n", " 5\r\n", "5 junk\r\n", "5\n", "-5\r\n", "+5\r\n", "0x5\r\n", "5;a=\u0001\r\n", "5\u0000\r\n",
            "5;\u007f\r\n", "g\r\n", "5\r\r\n"}) {
            assertThat(parse(line)).as(line).isEqualTo(ChunkSizeLine.MALFORMED);
        }
    }

    @Example
    void theWrappingSpellingsOfTheAdversarialRunAreTooLarge() {
        for (String line : new String[] {"100000000\r\n", "1000000005\r\n", "fffffffff\r\n", "80000000\r\n", "10000000000000005\r\n",
            "0000000000000000005\r\n"}) {
            assertThat(parse(line)).as(line).isEqualTo(ChunkSizeLine.TOO_LARGE);
        }
    }
}
