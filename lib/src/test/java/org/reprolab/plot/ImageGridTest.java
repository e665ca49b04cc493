package org.reprolab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

class ImageGridTest {

    @Test
    void eachImageIsScaledToItsOwnRangeAndGroupsStartNewRows() {
        // two 2x2 images in the first group, one in the second; zoom 1: cells of 2 + 4 pixels
        Tensor first = Tensor.of(new double[] {0, 1, 2, 3, 10, 10, 10, 20}, 2, 4);
        var img = ImageGrid.of(2).zoom(1).add(first).add(new double[][] {{-1, 0, 0, 1}}).image();
        assertEquals(2 * 6, img.getWidth());
        assertEquals(2 * 6, img.getHeight());
        assertEquals(0, img.getRGB(2, 2) & 0xff, "the minimum is black");
        assertEquals(255, img.getRGB(3, 3) & 0xff, "the maximum is white");
        assertEquals(85, img.getRGB(3, 2) & 0xff, "1 of 0..3");
        assertEquals(0, img.getRGB(6 + 2, 2) & 0xff, "the second image's own minimum, 10");
        assertEquals(128, img.getRGB(2 + 1, 6 + 2) & 0xff, "0 of -1..1, second row");
        assertEquals(0xffffff, img.getRGB(0, 0) & 0xffffff, "a white border");
    }

    @Test
    void aFixedRangeClipsAndBadInputIsNamed() {
        var img = ImageGrid.of(1).zoom(2).range(0, 1).add(new double[][] {{-5}, {0.5}, {7}}).perRow(2).image();
        assertEquals(2 * 6, img.getWidth());
        assertEquals(2 * 6, img.getHeight());
        assertEquals(0, img.getRGB(2, 2) & 0xff);
        assertEquals(128, img.getRGB(6 + 2, 2) & 0xff);
        assertEquals(255, img.getRGB(2, 6 + 2) & 0xff);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(3).add(new double[][] {{1, 2}}));
        assertThrows(IllegalStateException.class, () -> ImageGrid.of(3).image());
    }
}
