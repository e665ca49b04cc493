package org.reprolab.plot;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which colour each series name gets, kept across figures: hand one palette to every figure of a
 * comparison and "Adam" is the same colour in the loss curves, the contour paths and the scatter of
 * samples. Names take the colours of a colour-blind-safe cycle in the order they are first seen;
 * {@link #assign} fixes one by hand. A figure without a palette uses a fresh one of its own.
 *
 * <pre>{@code
 * Palette colours = Palette.create();
 * LinePlot.titled("loss").palette(colours).series("Adam", adamLoss).series("Lion", lionLoss);
 * ContourPlot.of(rosenbrock).palette(colours).path("Lion", lionPath).path("Adam", adamPath);  // same colours
 * }</pre>
 */
public final class Palette {

    /**
     * Okabe and Ito's colour-blind-safe palette (2008); its yellow comes last, since a thin yellow line
     * all but vanishes on a white plot (the seventh method of a comparison got it and could not be seen).
     */
    private static final Color[] SERIES = {
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73), new Color(0xD55E00),
        new Color(0x0072B2), new Color(0xCC79A7), new Color(0x000000), new Color(0xF0E442)
    };

    /** A few stops of matplotlib's viridis, interpolated linearly. */
    private static final int[] VIRIDIS = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};

    private final Map<String, Color> byName = new LinkedHashMap<>();
    private int next;

    private Palette() {}

    /** An empty palette: the first name seen gets the cycle's first colour. */
    public static Palette create() {
        return new Palette();
    }

    /** The colour of {@code name}, giving it the cycle's next colour the first time it is asked for. */
    public synchronized Color color(String name) {
        Objects.requireNonNull(name, "name");
        return byName.computeIfAbsent(name, n -> series(next++));
    }

    /** Fixes the colour of {@code name}; the cycle carries on for other names. */
    public synchronized Palette assign(String name, Color color) {
        byName.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(color, "color"));
        return this;
    }

    static Color series(int index) {
        return SERIES[Math.floorMod(index, SERIES.length)];
    }

    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** The ramp's colour at {@code t} in [0, 1], lightened a little so paths drawn on top stand out. */
    static Color ramp(double t) {
        double clamped = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int lo = (int) Math.min(VIRIDIS.length - 2, Math.floor(clamped));
        double f = clamped - lo;
        Color a = new Color(VIRIDIS[lo]);
        Color b = new Color(VIRIDIS[lo + 1]);
        int r = (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed()));
        int g = (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen()));
        int bl = (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue()));
        return new Color(r, g, bl, 150);
    }
}
