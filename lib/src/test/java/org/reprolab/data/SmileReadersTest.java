package org.reprolab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV and ARFF loaders, on files whose every value is known (Parquet: {@link ParquetFramesTest}). */
class SmileReadersTest {

    static Path resource(String name) throws Exception {
        return Path.of(SmileReadersTest.class.getResource(name).toURI());
    }

    @Test
    void csvGivesTheFileValuesAndNumbersTextLabelsInSortedOrder() throws Exception {
        Dataset flowers = Datasets.csv(resource("flowers.csv"), "species");
        assertEquals("flowers", flowers.name());
        assertEquals(List.of("sepal_length", "sepal_width"), flowers.featureNames());
        assertEquals(8, flowers.size());
        assertEquals(3, flowers.classes());
        assertArrayEquals(new double[] {5.1, 3.5}, flowers.features()[0]);
        assertArrayEquals(new double[] {6.9, 3.1}, flowers.features()[7]);
        // setosa < versicolor < virginica
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, flowers.labels());
        var split = flowers.split(0.25, 7);
        assertEquals(6, split.train().size());
        assertEquals(2, split.test().size());
    }

    @Test
    void arffNominalAttributesCountAsTheirCodes() throws Exception {
        Dataset weather = Datasets.arff(resource("weather.arff"), "play");
        assertEquals(List.of("outlook", "temperature", "humidity", "windy"), weather.featureNames());
        assertEquals(6, weather.size());
        assertEquals(2, weather.classes());
        // outlook {sunny, overcast, rainy} -> 0, 1, 2; windy {TRUE, FALSE} -> 0, 1
        assertArrayEquals(new double[] {0, 85, 85, 1}, weather.features()[0]);
        assertArrayEquals(new double[] {1, 83, 86, 1}, weather.features()[2]);
        assertArrayEquals(new double[] {2, 65, 70, 0}, weather.features()[5]);
        // play {yes, no} -> yes 0, no 1
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 1}, weather.labels());
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> Datasets.csv(dir.resolve("none.csv"), "y"));
        assertTrue(missing.getMessage().contains("no file"), missing.getMessage());
        var label = assertThrows(IllegalArgumentException.class, () -> Datasets.csv(resource("flowers.csv"), "kind"));
        assertTrue(label.getMessage().contains("no column 'kind'"), label.getMessage());
        Path text = Files.writeString(dir.resolve("t.csv"), "name,x,y\na,1,0\nb,2,1\n");
        var feature = assertThrows(IllegalArgumentException.class, () -> Datasets.csv(text, "y"));
        assertTrue(feature.getMessage().contains("feature column 'name'") && feature.getMessage().contains("not numeric"), feature.getMessage());
    }
}
