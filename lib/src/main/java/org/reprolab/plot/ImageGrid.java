package org.reprolab.plot;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Small grey-scale images (8x8 digits, samples of a generator, learned prototypes) in a grid, as one
 * picture the notebook shows: images fill rows of {@link #perRow} left to right, each group added
 * with {@link #add} starting a new row, a white border between cells. Grey levels are each image's own
 * range (so learned images with any scale are visible) unless {@link #range} fixes one for all.
 *
 * <pre>{@code
 * ImageGrid.of(8).zoom(8).add(distilled).add(realDraw).image()   // two rows of ten 8x8 images
 * }</pre>
 */
public final class ImageGrid {
    private final int side;
    private int zoom = 4;
    private int perRow = 10;
    private double lo = Double.NaN, hi = Double.NaN;
    private final List<List<double[]>> groups = new ArrayList<>();

    private ImageGrid(int side) {
        if (side < 1) throw new IllegalArgumentException("image grid: side must be >= 1, got " + side);
        this.side = side;
    }

    /** Square images of {@code side × side} pixels, given row-major. */
    public static ImageGrid of(int side) {
        return new ImageGrid(side);
    }

    /** Screen pixels per image pixel (default 4). */
    public ImageGrid zoom(int z) {
        if (z < 1) throw new IllegalArgumentException("image grid: zoom must be >= 1, got " + z);
        this.zoom = z;
        return this;
    }

    /** Images per grid row (default 10). */
    public ImageGrid perRow(int k) {
        if (k < 1) throw new IllegalArgumentException("image grid: perRow must be >= 1, got " + k);
        this.perRow = k;
        return this;
    }

    /** One grey scale for every image: {@code low} is black, {@code high} white, values outside clipped. */
    public ImageGrid range(double low, double high) {
        if (!(high > low)) throw new IllegalArgumentException("image grid: range needs high > low, got " + low + ", " + high);
        this.lo = low;
        this.hi = high;
        return this;
    }

    /** A group of images, {@code [k, side²]} (or {@code [k, side, side]}), starting a new grid row. */
    public ImageGrid add(Tensor images) {
        double[] v;
        try (var _ = Autodiff.noGrad()) {
            v = images.toDoubleArray();
        }
        int pixels = side * side;
        if (v.length % pixels != 0) {
            throw new IllegalArgumentException("image grid: " + v.length + " values are not whole " + side + "x" + side + " images");
        }
        double[][] rows = new double[v.length / pixels][];
        for (int k = 0; k < rows.length; k++) rows[k] = java.util.Arrays.copyOfRange(v, k * pixels, (k + 1) * pixels);
        return add(rows);
    }

    public ImageGrid add(double[][] images) {
        List<double[]> group = new ArrayList<>();
        for (double[] im : images) {
            if (im.length != side * side) throw new IllegalArgumentException("image grid: an image has " + im.length + " pixels, not " + side * side);
            group.add(im.clone());
        }
        groups.add(group);
        return this;
    }

    /** The picture. */
    public BufferedImage image() {
        if (groups.isEmpty()) throw new IllegalStateException("image grid: no images; add(...) some");
        int cell = side * zoom + 4;
        int rows = groups.stream().mapToInt(g -> Math.max(1, (g.size() + perRow - 1) / perRow)).sum();
        int cols = Math.min(perRow, groups.stream().mapToInt(List::size).max().orElse(1));
        var img = new BufferedImage(cols * cell, rows * cell, BufferedImage.TYPE_INT_RGB);
        var paint = img.createGraphics();
        paint.setColor(java.awt.Color.WHITE);
        paint.fillRect(0, 0, img.getWidth(), img.getHeight());
        paint.dispose();
        int row = 0;
        for (List<double[]> group : groups) {
            for (int k = 0; k < group.size(); k++) draw(img, group.get(k), row + k / perRow, k % perRow, cell);
            row += Math.max(1, (group.size() + perRow - 1) / perRow);
        }
        return img;
    }

    private void draw(BufferedImage img, double[] px, int r, int c, int cell) {
        double low = lo, high = hi;
        if (Double.isNaN(low)) {
            low = java.util.Arrays.stream(px).min().orElse(0);
            high = java.util.Arrays.stream(px).max().orElse(1);
        }
        double span = Math.max(1e-12, high - low);
        for (int p = 0; p < px.length; p++) {
            int v = (int) Math.round(255 * Math.max(0, Math.min(1, (px[p] - low) / span)));
            int rgb = (v << 16) | (v << 8) | v;
            for (int dy = 0; dy < zoom; dy++) {
                for (int dx = 0; dx < zoom; dx++) img.setRGB(c * cell + 2 + (p % side) * zoom + dx, r * cell + 2 + (p / side) * zoom + dy, rgb);
            }
        }
    }
}
