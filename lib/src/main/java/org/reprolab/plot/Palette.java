package org.reprolab.plot;

import java.awt.Color;

/** Colours shared by the figures: a colour-blind-safe cycle for series and a viridis ramp for levels. */
final class Palette {

    /** Okabe and Ito's colour-blind-safe palette (2008), black left out. */
    private static final Color[] SERIES = {
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73), new Color(0xD55E00),
        new Color(0x0072B2), new Color(0xCC79A7), new Color(0xF0E442), new Color(0x000000)
    };

    /** A few stops of matplotlib's viridis, interpolated linearly. */
    private static final int[] VIRIDIS = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};

    private Palette() {}

    static Color series(int index) {
        return SERIES[Math.floorMod(index, SERIES.length)];
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
