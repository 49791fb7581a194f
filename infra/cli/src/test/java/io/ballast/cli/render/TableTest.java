package io.ballast.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    private static Terminal terminal(int width, boolean color) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Terminal(sink, sink, false, color, width, true);
    }

    @Test
    void shortRowsAreAlignedAndUncut() {
        String out = new Table("NAME", "POOL").row("site", "web").row("api-long", "backend").render(terminal(80, false));
        assertThat(out.lines().toList()).containsExactly("NAME      POOL", "site      web", "api-long  backend");
    }

    @Test
    void wideRowsFitEightyColumnsByCuttingTheWidestColumnFirst() {
        Table t = new Table("NAME", "HOSTS", "PATH", "POOL");
        t.row("site", "shop.example.com,www.shop.example.com,api.shop.example.com,static.shop.example.com", "/", "web");
        t.row("api-route", "x.example.com", "/shop/checkout", "pool-with-a-long-name");
        String out = t.render(terminal(80, false));
        List<String> lines = out.lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(lines.get(1)).contains("\u2026");
        // the narrow columns kept their full text
        assertThat(lines.get(1)).endsWith("web");
        assertThat(lines.get(2)).contains("/shop/checkout").endsWith("pool-with-a-long-name");
    }

    @Test
    void columnsNeverShrinkBelowTheirHeaderOrSixCharacters() {
        Table t = new Table("A", "LONGHEADER", "C");
        t.row("x".repeat(200), "y".repeat(200), "z".repeat(200));
        int[] w = t.widths(20);
        assertThat(w[0]).isGreaterThanOrEqualTo(Table.MIN_WIDTH);
        assertThat(w[1]).isGreaterThanOrEqualTo("LONGHEADER".length());
        assertThat(w[2]).isGreaterThanOrEqualTo(Table.MIN_WIDTH);
    }

    @Test
    void everyWidthFromTwentyToTwoHundredIsRespectedWhenItCanBe() {
        Table t = new Table("NODE", "STATE", "REVISION", "LABELS");
        t.row("dp-eu-west-1a-0001", "SYNCED", "12/12", "zone=eu-west-1a,canary=true,rack=r17");
        t.row("dp-2", "PENDING", "11/12", "-");
        for (int width = 40; width <= 200; width++) {
            int finalWidth = width;
            assertThat(t.render(terminal(width, false)).lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(finalWidth));
        }
    }

    @Test
    void newlinesInCellsDoNotBreakRows() {
        String out = new Table("NAME", "MESSAGE").row("1", "first line\nsecond line").render(terminal(80, false));
        assertThat(out.lines()).hasSize(2);
        assertThat(out).contains("first line second line");
    }

    @Test
    void headersAreBoldOnlyWithColour() {
        assertThat(new Table("NAME").row("x").render(terminal(80, true))).contains("\u001b[1mNAME\u001b[0m");
        assertThat(new Table("NAME").row("x").render(terminal(80, false))).doesNotContain("\u001b[");
    }

    @Test
    void asciiTerminalsGetATildeInsteadOfAnEllipsis() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        Terminal ascii = new Terminal(sink, sink, false, false, 20, false);
        String out = new Table("NAME", "VALUE").row("n", "v".repeat(40)).render(ascii);
        assertThat(out).contains("~").doesNotContain("\u2026");
    }
}
