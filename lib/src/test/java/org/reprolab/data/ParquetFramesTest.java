package org.reprolab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smile.data.DataFrame;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;

/**
 * Parquet files written by Apache Spark (parquet/README.md says how) against their CSV twin read by Smile's CSV
 * reader: the same names, types, values and nulls, whatever the encoding, compression and row groups.
 */
class ParquetFramesTest {

    /** The schema the generator gave Spark, written out by hand: required {@code id}, everything else optional. */
    static final StructType MIXED = new StructType(
            new StructField("id", DataTypes.IntType),
            new StructField("small", DataTypes.NullableShortType),
            new StructField("count", DataTypes.NullableLongType),
            new StructField("weight", DataTypes.NullableFloatType),
            new StructField("score", DataTypes.NullableDoubleType),
            new StructField("flag", DataTypes.NullableBooleanType),
            new StructField("city", DataTypes.StringType),
            new StructField("note", DataTypes.StringType));

    static Path resource(String name) throws Exception {
        return Path.of(ParquetFramesTest.class.getResource("parquet/" + name).toURI());
    }

    static DataFrame csvTwin() throws Exception {
        return smile.io.Read.csv(resource("mixed.csv"), CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get(), MIXED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed-snappy-dictionary.parquet", "mixed-gzip-plain.parquet", "mixed-v2-delta.parquet", "mixed-zstd.parquet",
        "mixed-lz4raw.parquet"})
    void everyEncodingReadsAsTheCsvTwin(String file) throws Exception {
        DataFrame expected = csvTwin();
        DataFrame actual = Datasets.parquetFrame(resource(file));
        assertEquals(MIXED, actual.schema());
        assertEquals(300, actual.nrow());
        for (int j = 0; j < MIXED.length(); j++) {
            for (int i = 0; i < expected.nrow(); i++) {
                Object want = expected.get(i, j), got = actual.get(i, j);
                if (!Objects.equals(want, got)) {
                    throw new AssertionError(file + " row " + i + " column " + MIXED.field(j).name() + ": CSV " + want + ", Parquet " + got);
                }
            }
        }
        // the twin really has nulls where the generator put them (every 5th score from row 1, every 17th city from row 8)
        assertEquals(60, nulls(actual, "score"));
        assertEquals(18, nulls(actual, "city"));
        assertEquals(43, nulls(actual, "count"));
        assertEquals(23, nulls(actual, "flag"));
    }

    static long nulls(DataFrame frame, String column) {
        int j = frame.schema().indexOf(column);
        return java.util.stream.IntStream.range(0, frame.nrow()).filter(i -> frame.get(i, j) == null).count();
    }

    /** The fixtures cover what they claim: five codecs, dictionary, plain and delta encodings, several row groups. */
    @Test
    void theFixturesCoverTheEncodingsTheyAreNamedFor() throws Exception {
        assertLayout("mixed-snappy-dictionary.parquet", CompressionCodecName.SNAPPY, 3, Encoding.PLAIN_DICTIONARY);
        assertLayout("mixed-gzip-plain.parquet", CompressionCodecName.GZIP, 2, Encoding.PLAIN);
        assertLayout("mixed-v2-delta.parquet", CompressionCodecName.UNCOMPRESSED, 1, Encoding.DELTA_BYTE_ARRAY);
        assertLayout("mixed-zstd.parquet", CompressionCodecName.ZSTD, 1, Encoding.PLAIN_DICTIONARY);
        assertLayout("mixed-lz4raw.parquet", CompressionCodecName.LZ4_RAW, 1, Encoding.PLAIN_DICTIONARY);
        assertTrue(encodings("mixed-v2-delta.parquet").contains(Encoding.DELTA_BINARY_PACKED));
        assertTrue(!encodings("mixed-gzip-plain.parquet").contains(Encoding.PLAIN_DICTIONARY));
    }

    static void assertLayout(String file, CompressionCodecName codec, int rowGroups, Encoding encoding) throws Exception {
        try (var reader = new ParquetFileReader(new LocalInputFile(resource(file)), ParquetFrames.options())) {
            List<BlockMetaData> blocks = reader.getRowGroups();
            assertEquals(rowGroups, blocks.size(), file + " row groups");
            for (BlockMetaData block : blocks) {
                for (ColumnChunkMetaData chunk : block.getColumns()) assertEquals(codec, chunk.getCodec(), file + " " + chunk.getPath());
            }
        }
        assertTrue(encodings(file).contains(encoding), file + ": " + encodings(file));
    }

    static Set<Encoding> encodings(String file) throws Exception {
        try (var reader = new ParquetFileReader(new LocalInputFile(resource(file)), ParquetFrames.options())) {
            Set<Encoding> all = new TreeSet<>();
            for (BlockMetaData block : reader.getRowGroups()) {
                for (ColumnChunkMetaData chunk : block.getColumns()) all.addAll(chunk.getEncodings());
            }
            return all;
        }
    }

    @Test
    void aParquetDatasetIsTheCsvDataset() throws Exception {
        Dataset parquet = Datasets.parquet(resource("blobs.parquet"), "kind");
        Dataset csv = Datasets.csv(resource("blobs.csv"), "kind");
        assertEquals("blobs", parquet.name());
        assertEquals(List.of("x1", "x2", "x3"), parquet.featureNames());
        assertEquals(240, parquet.size());
        assertEquals(3, parquet.classes());
        assertArrayEquals(csv.labels(), parquet.labels());
        for (int i = 0; i < csv.size(); i++) assertArrayEquals(csv.features()[i], parquet.features()[i], 0.0, "row " + i);
        // alpha, beta, gamma in turn, numbered in sorted order
        assertArrayEquals(new int[] {0, 1, 2, 0}, java.util.Arrays.copyOf(parquet.labels(), 4));
    }

    @Test
    void badFilesAreNamed(@TempDir Path dir) throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(dir.resolve("none.parquet"), "y"));
        assertTrue(missing.getMessage().contains("no file") && missing.getMessage().contains("none.parquet"), missing.getMessage());
        Path text = Files.writeString(dir.resolve("t.parquet"), "x,y\n1,0\n2,1\n");
        var notParquet = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(text, "y"));
        assertTrue(notParquet.getMessage().contains("cannot read") && notParquet.getMessage().contains("not a Parquet file"),
                notParquet.getMessage());
        Path stub = Files.write(dir.resolve("p.parquet"), new byte[] {'P', 'A', 'R', '1'});
        var tooShort = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(stub, "y"));
        assertTrue(tooShort.getMessage().contains("cannot read") && tooShort.getMessage().contains("p.parquet"), tooShort.getMessage());
        var list = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(resource("with-list.parquet"), "x"));
        assertTrue(list.getMessage().contains("column 'tags'") && list.getMessage().contains("LIST"), list.getMessage());
        var label = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(resource("blobs.parquet"), "class"));
        assertTrue(label.getMessage().contains("no column 'class'"), label.getMessage());
        var text2 = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(resource("mixed-gzip-plain.parquet"), "id"));
        assertTrue(text2.getMessage().contains("feature column 'city'") && text2.getMessage().contains("not numeric"), text2.getMessage());
    }
}
