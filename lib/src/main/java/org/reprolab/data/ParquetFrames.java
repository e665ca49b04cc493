package org.reprolab.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import smile.data.DataFrame;
import smile.data.type.DataType;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.vector.BooleanVector;
import smile.data.vector.ByteVector;
import smile.data.vector.DoubleVector;
import smile.data.vector.FloatVector;
import smile.data.vector.IntVector;
import smile.data.vector.LongVector;
import smile.data.vector.NullableBooleanVector;
import smile.data.vector.NullableByteVector;
import smile.data.vector.NullableDoubleVector;
import smile.data.vector.NullableFloatVector;
import smile.data.vector.NullableIntVector;
import smile.data.vector.NullableLongVector;
import smile.data.vector.NullableShortVector;
import smile.data.vector.ShortVector;
import smile.data.vector.StringVector;
import smile.data.vector.ValueVector;

/**
 * Reads a flat Parquet file into a Smile {@link DataFrame} with Apache Parquet's own Java reader
 * ({@code org.apache.parquet:parquet-hadoop}), without Hadoop and without native code.
 *
 * <p><b>Why not Smile's reader.</b> {@code smile.io.Read.parquet} (Smile 6.3) scans the file with Apache Arrow's
 * JNI dataset library ({@code org.apache.arrow:arrow-dataset}, C++ Arrow behind a Java facade). Smile is built
 * against 19.0.0, which Maven Central as reached here does not serve (nor 17.0.0, 16.1.0, 18.2.0). With 18.3.0, which
 * is served, Smile's reader does work (tried on this project's fixtures, with {@code arrow-memory-unsafe:18.3.0} and
 * {@code --add-opens java.base/java.nio=ALL-UNNAMED}; it gives the frames this class gives, schema, nulls and values
 * cell for cell), but that is 78 MB of jars, 77 MB of them native libraries for Linux, macOS and Windows on two
 * architectures. Parquet's Java reader is 8 jars, 10.7 MB, of plain Java that runs wherever the JVM runs.
 *
 * <p><b>Why without Hadoop.</b> {@code ParquetReadOptions.builder(...)} in parquet-hadoop 1.18.2 always creates
 * Hadoop's codec factory (it loads {@code org.apache.hadoop.io.compress} classes), and Hadoop's client is tens of
 * megabytes. The options are therefore built through their own (package-private) constructor with a
 * {@link PureJavaCodecs} decompressor, and the file is opened as a {@link LocalInputFile}: no Hadoop class is
 * loaded. That constructor is pinned by the version in the POM and checked by {@code ParquetFramesTest}.
 *
 * <p><b>Types.</b> Each top-level column must be a primitive, non-repeated field: BOOLEAN → boolean, INT32 → int
 * (annotated {@code INT(8)} → byte, {@code INT(16)} → short), INT64 → long, FLOAT → float, DOUBLE → double, BINARY
 * annotated STRING or ENUM → String (plain or dictionary-encoded alike). A {@code required} column gives a primitive
 * Smile column, an {@code optional} one the nullable type, whose nulls are the file's. Anything else (nested
 * groups and lists, dates, timestamps, decimals, unsigned integers, raw binary, INT96) is refused, naming the column
 * and its Parquet type.
 */
final class ParquetFrames {

    private ParquetFrames() {}

    /** The whole file as one frame, row groups in file order. */
    static DataFrame read(Path path) throws IOException {
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(path), options())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<Column> columns = new ArrayList<>();
            for (Type field : schema.getFields()) columns.add(Column.of(path, field, schema));
            long rows = reader.getRecordCount();
            if (rows > Integer.MAX_VALUE) throw new IllegalArgumentException("parquet: " + path + " has " + rows + " rows, more than a DataFrame holds");
            VersionParser.ParsedVersion writer = writerVersion(reader.getFooter().getFileMetaData().getCreatedBy());
            int row = 0;
            for (PageReadStore group; (group = reader.readNextRowGroup()) != null; row += (int) group.getRowCount()) {
                for (Column column : columns) column.read(group, row, (int) rows, writer);
            }
            return new DataFrame(columns.stream().map(Column::vector).toArray(ValueVector[]::new));
        }
    }

    private static VersionParser.ParsedVersion writerVersion(String createdBy) {
        try {
            return VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException e) {
            return null;  // unknown writer: the reader then applies no writer-specific workarounds
        }
    }

    /** One column's values as they are read, row group after row group. */
    private static final class Column {
        private final ColumnDescriptor descriptor;
        private final StructField field;
        private Object values;
        private final BitSet nulls = new BitSet();

        private Column(ColumnDescriptor descriptor, StructField field) {
            this.descriptor = descriptor;
            this.field = field;
        }

        static Column of(Path path, Type type, MessageType schema) {
            boolean nullable = type.isRepetition(Type.Repetition.OPTIONAL);
            DataType dtype = type.isPrimitive() && !type.isRepetition(Type.Repetition.REPEATED) ? dtype(type.asPrimitiveType(), nullable) : null;
            if (dtype == null) {
                throw new IllegalArgumentException("parquet: column '" + type.getName() + "' of " + path + " has type "
                        + describe(type) + ", which Datasets.parquet does not read (it reads boolean, int8/16/32/64, float, double "
                        + "and string columns); drop it when writing the file, or convert it to one of those");
            }
            return new Column(schema.getColumnDescription(new String[] {type.getName()}), new StructField(type.getName(), dtype));
        }

        private static String describe(Type type) {
            if (!type.isPrimitive()) {
                LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
                return (logical == null ? "group" : logical.toString()) + " (nested)";
            }
            String physical = type.asPrimitiveType().getPrimitiveTypeName().name();
            LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
            String repeated = type.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "";
            return repeated + (logical == null ? physical : physical + " " + logical);
        }

        private static DataType dtype(PrimitiveType type, boolean nullable) {
            LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
            int bits = logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned() ? i.getBitWidth() : -1;
            return switch (type.getPrimitiveTypeName()) {
                case BOOLEAN -> logical == null ? (nullable ? DataTypes.NullableBooleanType : DataTypes.BooleanType) : null;
                case INT32 -> logical == null || bits == 32 ? (nullable ? DataTypes.NullableIntType : DataTypes.IntType)
                        : bits == 16 ? (nullable ? DataTypes.NullableShortType : DataTypes.ShortType)
                        : bits == 8 ? (nullable ? DataTypes.NullableByteType : DataTypes.ByteType) : null;
                case INT64 -> logical == null || bits == 64 ? (nullable ? DataTypes.NullableLongType : DataTypes.LongType) : null;
                case FLOAT -> logical == null ? (nullable ? DataTypes.NullableFloatType : DataTypes.FloatType) : null;
                case DOUBLE -> logical == null ? (nullable ? DataTypes.NullableDoubleType : DataTypes.DoubleType) : null;
                case BINARY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation ? DataTypes.StringType : null;
                default -> null;
            };
        }

        /** Reads this column's values of one row group into rows {@code [start, start + group rows)}. */
        void read(PageReadStore group, int start, int rows, VersionParser.ParsedVersion writer) {
            if (values == null) values = allocate(rows);
            ColumnReaderImpl reader = new ColumnReaderImpl(descriptor, group.getPageReader(descriptor), new PrimitiveConverter() {}, writer);
            int present = descriptor.getMaxDefinitionLevel();
            for (int i = start, end = start + (int) group.getRowCount(); i < end; i++, reader.consume()) {
                if (reader.getCurrentDefinitionLevel() < present) {
                    nulls.set(i);
                    continue;
                }
                switch (values) {
                    case boolean[] v -> v[i] = reader.getBoolean();
                    case byte[] v -> v[i] = (byte) reader.getInteger();
                    case short[] v -> v[i] = (short) reader.getInteger();
                    case int[] v -> v[i] = reader.getInteger();
                    case long[] v -> v[i] = reader.getLong();
                    case float[] v -> v[i] = reader.getFloat();
                    case double[] v -> v[i] = reader.getDouble();
                    case String[] v -> v[i] = reader.getBinary().toStringUsingUTF8();
                    default -> throw new IllegalStateException("unreachable: " + values.getClass());
                }
            }
        }

        private Object allocate(int rows) {
            return switch (field.dtype().id()) {
                case Boolean -> new boolean[rows];
                case Byte -> new byte[rows];
                case Short -> new short[rows];
                case Int -> new int[rows];
                case Long -> new long[rows];
                case Float -> new float[rows];
                case Double -> new double[rows];
                default -> new String[rows];
            };
        }

        ValueVector vector() {
            if (values == null) values = allocate(0);  // a file with no row group
            boolean nullable = field.dtype().isNullable();
            return switch (values) {
                case boolean[] v -> nullable ? new NullableBooleanVector(field, v, nulls) : new BooleanVector(field, v);
                case byte[] v -> nullable ? new NullableByteVector(field, v, nulls) : new ByteVector(field, v);
                case short[] v -> nullable ? new NullableShortVector(field, v, nulls) : new ShortVector(field, v);
                case int[] v -> nullable ? new NullableIntVector(field, v, nulls) : new IntVector(field, v);
                case long[] v -> nullable ? new NullableLongVector(field, v, nulls) : new LongVector(field, v);
                case float[] v -> nullable ? new NullableFloatVector(field, v, nulls) : new FloatVector(field, v);
                case double[] v -> nullable ? new NullableDoubleVector(field, v, nulls) : new DoubleVector(field, v);
                case String[] v -> new StringVector(field, v);
                default -> throw new IllegalStateException("unreachable: " + values.getClass());
            };
        }
    }

    private static volatile ParquetReadOptions options;

    /**
     * Read options with the pure-Java codecs, made through {@code ParquetReadOptions}' own constructor because its
     * builder creates Hadoop's codec factory. Arguments in declaration order, the builder's defaults where they
     * matter: unsigned string min/max, the statistics, dictionary, record and column-index filters on (none is given),
     * no page checksum verification, no bloom filter, no off-heap decryption buffer, no Hadoop vectored IO; no record
     * or metadata filter; heap buffers of at most 8 MiB per allocation, no properties, no decryption, no metrics.
     */
    static ParquetReadOptions options() {
        ParquetReadOptions made = options;
        if (made != null) return made;
        try {
            Constructor<?> constructor = null;
            for (Constructor<?> candidate : ParquetReadOptions.class.getDeclaredConstructors()) {
                if (candidate.getParameterCount() == 18) constructor = candidate;
            }
            if (constructor == null) throw new NoSuchMethodException("ParquetReadOptions(18 arguments)");
            constructor.setAccessible(true);
            made = (ParquetReadOptions) constructor.newInstance(false, true, true, true, true, false, false, false, false,
                    FilterCompat.NOOP, ParquetMetadataConverter.NO_FILTER, new PureJavaCodecs(), new HeapByteBufferAllocator(),
                    8 << 20, new HashMap<String, String>(), null, null, new PlainParquetConfiguration());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("parquet: cannot build read options on this version of org.apache.parquet:parquet-hadoop "
                    + "(Reprolab is built against 1.18.2): " + e, e);
        }
        options = made;
        return made;
    }

    /**
     * Page decompression in plain Java: GZIP with the JDK, Snappy, ZSTD and LZ4_RAW with aircompressor (which
     * parquet-hadoop already depends on), so neither Hadoop's codecs nor the native snappy-java and zstd-jni are needed.
     * Reading only: this factory makes no compressors.
     */
    static final class PureJavaCodecs implements CompressionCodecFactory {

        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            throw new UnsupportedOperationException("Datasets.parquet only reads");
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            return new Decompressor(codec);
        }

        @Override
        public void release() {}

        private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {

            @Override
            public BytesInput decompress(BytesInput compressed, int uncompressedSize) throws IOException {
                byte[] in = compressed.toByteArray();
                return BytesInput.from(decompress(in, uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress(in, uncompressedSize));
            }

            private byte[] decompress(byte[] in, int size) throws IOException {
                if (codec == CompressionCodecName.UNCOMPRESSED) return in;
                if (codec == CompressionCodecName.GZIP) {
                    try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in))) {
                        return gzip.readNBytes(size);
                    }
                }
                io.airlift.compress.Decompressor airlift = switch (codec) {
                    case SNAPPY -> new io.airlift.compress.snappy.SnappyDecompressor();
                    case ZSTD -> new io.airlift.compress.zstd.ZstdDecompressor();
                    case LZ4_RAW -> new io.airlift.compress.lz4.Lz4Decompressor();
                    default -> throw new IOException("parquet: pages compressed with " + codec + " cannot be read (GZIP, SNAPPY, ZSTD, LZ4_RAW "
                            + "and uncompressed can); rewrite the file with one of those");
                };
                byte[] out = new byte[size];
                int written = airlift.decompress(in, 0, in.length, out, 0, size);
                if (written != size) throw new IOException("parquet: a " + codec + " page gave " + written + " bytes, its header says " + size);
                return out;
            }

            @Override
            public void release() {}
        }
    }
}
