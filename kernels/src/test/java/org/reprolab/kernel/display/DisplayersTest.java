package org.reprolab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChartBuilder;
import smile.data.DataFrame;

class DisplayersTest {

    interface Shape {}

    interface Named {}

    static class Base implements Named {}

    static class Square extends Base implements Shape {}

    static class Unit extends Square {}

    private static Displayer<Object> text(String s) {
        return v -> Map.of(MimeTypes.TEXT, s);
    }

    @Test
    void lookupIsBreadthFirstClassThenInterfacesThenSuperclass() {
        Displayers registry = new Displayers();
        Displayer<Object> forNamed = text("named");
        Displayer<Object> forShape = text("shape");
        Displayer<Object> forBase = text("base");
        registry.register(Named.class, forNamed);
        registry.register(Base.class, forBase);
        // Square: its own interface Shape is not registered yet, so the superclass Base answers before Base's interface
        assertSame(forBase, registry.find(Square.class));
        registry.register(Shape.class, forShape);
        // now Square's interface comes before its superclass
        assertSame(forShape, registry.find(Square.class));
        assertSame(forShape, registry.find(Unit.class));
        registry.register(Unit.class, text("unit"));
        assertEquals("unit", registry.display(new Unit()).get(MimeTypes.TEXT));
    }

    @Test
    void theDefaultPrintsArraysAndQuotesStrings() {
        Displayers registry = new Displayers();
        assertEquals("[1, 2, 3]", registry.display(new int[] {1, 2, 3}).get(MimeTypes.TEXT));
        assertEquals("[\"a\", null]", registry.display(new String[] {"a", null}).get(MimeTypes.TEXT));
        assertEquals("\"line\\n\"", registry.display("line\n").get(MimeTypes.TEXT));
        assertEquals("null", registry.display(null).get(MimeTypes.TEXT));
    }

    @Test
    void selfDescribingValuesAndBrokenDisplayersStillGiveText() {
        Displayers registry = new Displayers();
        AsDisplayData self = () -> Map.of(MimeTypes.HTML, "<b>me</b>");
        Map<String, String> bundle = registry.display(self);
        assertEquals("<b>me</b>", bundle.get(MimeTypes.HTML));
        assertTrue(bundle.containsKey(MimeTypes.TEXT));
        registry.register(Base.class, v -> {
            throw new IllegalStateException("broken");
        });
        String text = registry.display(new Base()).get(MimeTypes.TEXT);
        assertTrue(text.contains("display failed: IllegalStateException: broken"), text);
    }

    @Test
    void builtinsRenderChartsAndDataFrames() {
        Displayers global = Displayers.global();
        Map<String, String> chart = global.display(new XYChartBuilder().width(120).height(80).title("t").build());
        assertTrue(java.util.Base64.getDecoder().decode(chart.get(MimeTypes.PNG)).length > 100);
        assertTrue(chart.get(MimeTypes.SVG).startsWith("<svg"));
        Map<String, String> frame = global.display(DataFrame.of(new double[][] {{1.25, 1e-7}}, "x", "tiny"));
        assertTrue(frame.get(MimeTypes.HTML).contains("<td>1.25</td><td>1e-07</td>"), frame.get(MimeTypes.HTML));
    }

    @Test
    void numbersInTablesKeepFourSignificantDigits() {
        String html = Displayers.global().display(DataFrame.of(new double[][] {{1000, 100.0, 0.123456, 1234567}}, "a", "b", "c", "d")).get(MimeTypes.HTML);
        assertTrue(html.contains("<td>1000</td><td>100</td><td>0.1235</td><td>1.235e+06</td>"), html);
    }

    @Test
    void theDefaultTextIsBoundedForHugeArraysAndStrings() {
        byte[] gig = new byte[1 << 27];
        gig[gig.length - 1] = 7;
        assertEquals("[0, 0, 0, ..., 0, 0, 7]", ToStringDisplayer.text(gig));
        int[] thousand = new int[ToStringDisplayer.ARRAY_LIMIT];
        assertEquals(2 + 3 * ToStringDisplayer.ARRAY_LIMIT - 2, ToStringDisplayer.text(thousand).length());
        String longText = "x".repeat(300_000);
        String shown = ToStringDisplayer.text(new StringBuilder(longText));
        assertEquals(ToStringDisplayer.TEXT_LIMIT + 2, shown.indexOf('…'));
        assertTrue(shown.endsWith("\"… (300,000 characters in all)"), shown.substring(shown.length() - 40));
        assertEquals(ToStringDisplayer.TEXT_LIMIT + "… (300,000 characters in all)".length(),
                ToStringDisplayer.text(new Object() { public String toString() { return longText; } }).length());
    }
}
