package org.reprolab.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an optimizer needs to resume bit-exactly, keyed by parameter name (not by position,
 * pytorch issue #1489): the step count (which is also the schedule's step), the gradient
 * accumulation phase, and for each parameter its step number, its device slots (copied to the host
 * exactly: f32 values are exact in a double) and its host scalars.
 *
 * @param count  optimizer steps completed
 * @param micro  micro-batches accumulated toward the next step (gradient accumulation)
 * @param params per parameter name
 */
public record OptimizerState(long count, int micro, Map<String, ParamState> params) {

    /**
     * One parameter's state.
     *
     * @param step  its step number (torch's {@code state['step']})
     * @param slots slot key ({@code "index.transform.slot"}) to values
     * @param host  transformation key ({@code "index.transform"}) to host scalars
     */
    public record ParamState(long step, Map<String, double[]> slots, Map<String, double[]> host) {
        public ParamState {
            slots = copy(slots);
            host = copy(host);
        }

        private static Map<String, double[]> copy(Map<String, double[]> m) {
            Map<String, double[]> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, v.clone()));
            return java.util.Collections.unmodifiableMap(out);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParamState p && step == p.step && same(slots, p.slots) && same(host, p.host);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(step) * 31 + slots.keySet().hashCode();
        }

        private static boolean same(Map<String, double[]> a, Map<String, double[]> b) {
            if (!a.keySet().equals(b.keySet())) return false;
            for (String k : a.keySet()) if (!Arrays.equals(a.get(k), b.get(k))) return false;
            return true;
        }
    }

    public OptimizerState {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    private static final int MAGIC = 0x52504f53; // "RPOS"

    /** Writes this state (binary, exact). */
    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeInt(1);
        out.writeLong(count);
        out.writeInt(micro);
        out.writeInt(params.size());
        for (var e : params.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().step());
            writeMap(out, e.getValue().slots());
            writeMap(out, e.getValue().host());
        }
        out.flush();
    }

    private static void writeMap(DataOutputStream out, Map<String, double[]> m) throws IOException {
        out.writeInt(m.size());
        for (var e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (double d : e.getValue()) out.writeLong(Double.doubleToRawLongBits(d));
        }
    }

    public static OptimizerState read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        if (in.readInt() != MAGIC) throw new IOException("not an optimizer state (bad magic number)");
        int version = in.readInt();
        if (version != 1) throw new IOException("unsupported optimizer state version " + version);
        long count = in.readLong();
        int micro = in.readInt();
        int n = in.readInt();
        Map<String, ParamState> params = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            long step = in.readLong();
            params.put(name, new ParamState(step, readMap(in), readMap(in)));
        }
        return new OptimizerState(count, micro, params);
    }

    private static Map<String, double[]> readMap(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = in.readUTF();
            double[] v = new double[in.readInt()];
            for (int j = 0; j < v.length; j++) v[j] = Double.longBitsToDouble(in.readLong());
            m.put(k, v);
        }
        return m;
    }

    public void save(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os);
        }
    }

    public static OptimizerState load(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file)) {
            return read(is);
        }
    }
}
