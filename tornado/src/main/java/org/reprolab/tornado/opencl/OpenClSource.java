package org.reprolab.tornado.opencl;

import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.KernelSchedule;

/**
 * OpenCL C source for the opencl device: element-wise kernels rendered from a {@link KernelSchedule}
 * (one SSA statement per node), and the fixed kernels (reductions, gather/scatter, the Philox stream; matmul is {@link OpenClGemm})
 * as templates over the element type {@code T}.
 *
 * <p>{@code #pragma OPENCL FP_CONTRACT OFF} stops the compiler fusing {@code a*b+c} behind our back,
 * because Java never does and jvm/opencl results should differ only by library-function ulps.
 */
final class OpenClSource {
    private OpenClSource() {}

    static final String EW = "ew", EW_STRIDED = "ew_strided";

    static String header(ElementType t) {
        return (t == ElementType.F64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "")
                + "#pragma OPENCL FP_CONTRACT OFF\n";
    }

    /** Exact literal (hex float) of {@code v} in type {@code t}. */
    static String literal(double v, ElementType t) {
        String T = t.cName();
        if (Double.isNaN(v)) return "((" + T + ")NAN)";
        if (Double.isInfinite(v)) return v > 0 ? "((" + T + ")INFINITY)" : "(-(" + T + ")INFINITY)";
        if (t == ElementType.F32) {
            float f = (float) v;
            return "(" + Float.toHexString(f) + "f)";
        }
        return "(" + Double.toHexString(v) + ")";
    }

    /**
     * Two kernels over the same body: {@code ew} for contiguous operands ({@code base + gid}) and
     * {@code ew_strided}, which reads rank, shape and per-operand strides from a small {@code meta}
     * buffer ({@code [rank, dims..., strides of operand 0..., strides of operand 1..., ...]}).
     * Arguments: {@code n, meta, (ptr, offset) per input then per output, then params}.
     */
    static String elementwise(KernelSchedule s, ElementType t) {
        int ni = s.kernel().inputs(), no = s.outputCount(), np = s.kernel().params();
        String T = t.cName();
        StringBuilder sig = new StringBuilder("const int n, __global const int* meta");
        for (int i = 0; i < ni; i++) sig.append(", __global ").append(T).append("* a").append(i).append(", const int o").append(i);
        for (int k = 0; k < no; k++) sig.append(", __global ").append(T).append("* r").append(k).append(", const int q").append(k);
        for (int p = 0; p < np; p++) sig.append(", const ").append(T).append(" p").append(p);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < s.size(); i++) body.append("  const ").append(T).append(" v").append(i).append(" = ")
                .append(expr(s, i, t)).append(";\n");
        StringBuilder src = new StringBuilder(header(t));
        src.append("// kernel '").append(s.kernel().name()).append("'\n");
        // contiguous
        src.append("__kernel void ").append(EW).append("(").append(sig).append(") {\n")
                .append("  const int gid = get_global_id(0);\n  if (gid >= n) return;\n");
        for (int i = 0; i < ni; i++) src.append("  const int x").append(i).append(" = o").append(i).append(" + gid;\n");
        for (int k = 0; k < no; k++) src.append("  const int y").append(k).append(" = q").append(k).append(" + gid;\n");
        src.append(body);
        for (int k = 0; k < no; k++) src.append("  r").append(k).append("[y").append(k).append("] = v").append(s.output(k)).append(";\n");
        src.append("}\n");
        // strided
        src.append("__kernel void ").append(EW_STRIDED).append("(").append(sig).append(") {\n")
                .append("  const int gid = get_global_id(0);\n  if (gid >= n) return;\n")
                .append("  const int rank = meta[0];\n");
        for (int i = 0; i < ni; i++) src.append("  int x").append(i).append(" = o").append(i).append(";\n");
        for (int k = 0; k < no; k++) src.append("  int y").append(k).append(" = q").append(k).append(";\n");
        src.append("  int rem = gid;\n  for (int d = rank - 1; d >= 0; d--) {\n")
                .append("    const int e = rem % meta[1 + d];\n    rem /= meta[1 + d];\n");
        for (int i = 0; i < ni; i++)
            src.append("    x").append(i).append(" += e * meta[1 + rank * ").append(1 + i).append(" + d];\n");
        for (int k = 0; k < no; k++)
            src.append("    y").append(k).append(" += e * meta[1 + rank * ").append(1 + ni + k).append(" + d];\n");
        src.append("  }\n").append(body);
        for (int k = 0; k < no; k++) src.append("  r").append(k).append("[y").append(k).append("] = v").append(s.output(k)).append(";\n");
        src.append("}\n");
        return src.toString();
    }

    private static String expr(KernelSchedule s, int i, ElementType t) {
        int[] a = s.args(i);
        String T = t.cName();
        String one = "(" + T + ")1", zero = "(" + T + ")0";
        return switch (s.node(i)) {
            case Expr.In in -> "a" + in.index() + "[x" + in.index() + "]";
            case Expr.Param p -> "p" + p.index();
            case Expr.Const c -> literal(c.value(), t);
            case Expr.Unary u -> {
                String x = "v" + a[0];
                yield switch (u.op()) {
                    case NEG -> "-" + x;
                    case ABS -> "fabs(" + x + ")";
                    case SQRT -> "sqrt(" + x + ")";
                    case EXP -> "exp(" + x + ")";
                    case EXPM1 -> "expm1(" + x + ")";
                    case LOG -> "log(" + x + ")";
                    case LOG1P -> "log1p(" + x + ")";
                    case SIN -> "sin(" + x + ")";
                    case COS -> "cos(" + x + ")";
                    case TANH -> "tanh(" + x + ")";
                    case FLOOR -> "floor(" + x + ")";
                    case ERF -> "erf(" + x + ")";
                    default -> throw new IllegalStateException("composite op in schedule: " + u.op());
                };
            }
            case Expr.Binary b -> {
                String x = "v" + a[0], y = "v" + a[1];
                yield switch (b.op()) {
                    case ADD -> x + " + " + y;
                    case SUB -> x + " - " + y;
                    case MUL -> x + " * " + y;
                    case DIV -> x + " / " + y;
                    case MAX -> "fmax(" + x + ", " + y + ")";
                    case MIN -> "fmin(" + x + ", " + y + ")";
                    case POW -> "pow(" + x + ", " + y + ")";
                    case LT -> "(" + x + " < " + y + ") ? " + one + " : " + zero;
                    case LE -> "(" + x + " <= " + y + ") ? " + one + " : " + zero;
                    case GT -> "(" + x + " > " + y + ") ? " + one + " : " + zero;
                    case GE -> "(" + x + " >= " + y + ") ? " + one + " : " + zero;
                    case EQ -> "(" + x + " == " + y + ") ? " + one + " : " + zero;
                    case NE -> "(" + x + " != " + y + ") ? " + one + " : " + zero;
                };
            }
            case Expr.Ternary tr -> switch (tr.op()) {
                case WHERE -> "(v" + a[0] + " != " + zero + ") ? v" + a[1] + " : v" + a[2];
                case FMA -> "fma(v" + a[0] + ", v" + a[1] + ", v" + a[2] + ")";
                default -> throw new IllegalStateException("composite op in schedule: " + tr.op());
            };
        };
    }

    /** Reduction ops as ints, in {@code ReduceOp} order. */
    static final int SUM = 0, SUM_SQUARES = 1, MAX = 2, MIN = 3, MAX_ABS = 4;

    /**
     * Reductions, gather/scatter and the Philox stream for one element type (matmul: {@link OpenClGemm}). {@code ACC} is the
     * accumulator (double when the device has fp64, so f32 sums are accumulated in f64).
     */
    static String builtins(ElementType t, boolean fp64) {
        String T = t.cName();
        String acc = fp64 ? "double" : "float";
        return (fp64 ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "") + "#pragma OPENCL FP_CONTRACT OFF\n"
                + "#define T " + T + "\n#define ACC " + acc + "\n#define IS_F64 " + (t == ElementType.F64 ? 1 : 0) + "\n"
                + "#define HAS_FP64 " + (fp64 ? 1 : 0) + "\n" + BUILTINS;
    }

    private static final String BUILTINS = """
            inline ACC rmap(const int op, const ACC v) {
              return op == 1 ? v * v : (op == 4 ? fabs(v) : v);
            }
            inline ACC rcombine(const int op, const ACC a, const ACC b) {
              if (op <= 1) return a + b;
              if (op == 3) return fmin(a, b);
              return fmax(a, b);
            }
            inline ACC ridentity(const int op) {
              return op == 2 ? -INFINITY : (op == 3 ? INFINITY : (ACC)0);
            }
            inline ACC rtree(const int op, ACC acc, __local ACC* scratch) {
              const int l = get_local_id(0);
              scratch[l] = acc;
              barrier(CLK_LOCAL_MEM_FENCE);
              for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
                if (l < s) scratch[l] = rcombine(op, scratch[l], scratch[l + s]);
                barrier(CLK_LOCAL_MEM_FENCE);
              }
              return scratch[0];
            }
            /* one work-group per output (o, j) of an [outer, n, inner] block; local size a power of two */
            __kernel void reduce_rows(__global const T* x, const int off, const int n, const int inner,
                                      __global T* out, const int outOff, const int op, __local ACC* scratch) {
              const int g = get_group_id(0);
              const int o = g / inner, j = g % inner;
              ACC acc = ridentity(op);
              for (int r = get_local_id(0); r < n; r += get_local_size(0))
                acc = rcombine(op, acc, rmap(op, (ACC) x[off + (o * n + r) * inner + j]));
              acc = rtree(op, acc, scratch);
              if (get_local_id(0) == 0) out[outOff + g] = (T) acc;
            }
            /* stage one of a long reduction: group g reduces x[off + g*chunk .. min(n, (g+1)*chunk)) */
            __kernel void reduce_partial(__global const T* x, const int off, const int n, const int chunk,
                                         __global ACC* partial, const int op, __local ACC* scratch) {
              const int g = get_group_id(0);
              const int end = min(n, (g + 1) * chunk);
              ACC acc = ridentity(op);
              for (int r = g * chunk + get_local_id(0); r < end; r += get_local_size(0))
                acc = rcombine(op, acc, rmap(op, (ACC) x[off + r]));
              acc = rtree(op, acc, scratch);
              if (get_local_id(0) == 0) partial[g] = acc;
            }
            /* stage two: one group combines the partials (already mapped) */
            __kernel void reduce_final(__global const ACC* partial, const int groups, __global T* out, const int outOff,
                                       const int op, __local ACC* scratch) {
              const int cop = op == 1 ? 0 : (op == 4 ? 2 : op);
              ACC acc = ridentity(cop);
              for (int r = get_local_id(0); r < groups; r += get_local_size(0)) acc = rcombine(cop, acc, partial[r]);
              acc = rtree(cop, acc, scratch);
              if (get_local_id(0) == 0) out[outOff] = (T) acc;
            }

            /* gather / scatter_add: meta = [rank, axis, axisLength, dims[rank], strides of src, index, out] */
            #define INDEXED_META(meta) \
              const int rank = meta[0], axis = meta[1]; \
              const __global int* dims = meta + 3; \
              const __global int* ss = dims + rank; \
              const __global int* is = ss + rank; \
              const __global int* os = is + rank;
            /* src, index and out offsets of element (or, with line set, of the line along axis) rem;
               src's offset leaves out the axis, which the index picks */
            void indexed_bases(const __global int* meta, int rem, const int line, int* s, int* i, int* o) {
              INDEXED_META(meta)
              for (int d = rank - 1; d >= 0; d--) {
                if (line && d == axis) continue;
                const int e = rem % dims[d];
                rem /= dims[d];
                if (d != axis) *s += e * ss[d];
                *i += e * is[d];
                *o += e * os[d];
              }
            }
            /* the common start of gather and scatter_add: work item gid (of count), meta, base offsets s, i, o */
            #define INDEXED_START(count, line) \
              const int gid = get_global_id(0); \
              if (gid >= count) return; \
              INDEXED_META(meta) \
              int s = so, i = io, o = oo; \
              indexed_bases(meta, gid, line, &s, &i, &o);
            __kernel void gather(const int n, __global const int* meta, __global const T* src, const int so,
                                 __global const T* idx, const int io, __global T* out, const int oo) {
              INDEXED_START(n, 0)
              out[o] = src[s + (int) idx[i] * ss[axis]];
            }
            /* one work item per line along axis, so additions into one element run in index order */
            __kernel void scatter_add(const int lines, __global const int* meta, __global const T* src, const int so,
                                      __global const T* idx, const int io, __global T* out, const int oo) {
              INDEXED_START(lines, 1)
              for (int j = 0; j < dims[axis]; j++)
                out[o + (int) idx[i + j * is[axis]] * os[axis]] += src[s + j * ss[axis]];
            }

            /* Philox-4x32-10 (Salmon et al., SC'11; Random123 philox.h); stream layout: rng.Philox */
            inline uint4 philox(uint4 c, uint2 k) {
              for (int r = 0; r < 10; r++) {
                if (r > 0) { k.x += 0x9E3779B9u; k.y += 0xBB67AE85u; }
                const uint hi0 = mul_hi(0xD2511F53u, c.x), lo0 = 0xD2511F53u * c.x;
                const uint hi1 = mul_hi(0xCD9E8D57u, c.z), lo1 = 0xCD9E8D57u * c.z;
                c = (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
              }
              return c;
            }
            #if HAS_FP64
            #define BM double
            #else
            #define BM float
            #endif
            inline BM box_muller(const BM u1, const BM u2, const int useCos) {
              const BM r = sqrt((BM)-2 * log(u1));
              const BM t = (BM)6.283185307179586 * u2;
              return useCos ? r * cos(t) : r * sin(t);
            }
            __kernel void philox_fill(__global T* out, const int off, const int count, const uint k0, const uint k1,
                                      const ulong start, const int normal) {
              const int gid = get_global_id(0);
              if (gid >= count) return;
              const ulong e = start + (ulong) gid;
            #if IS_F64
              const ulong blk = e >> 1;
              const uint4 w = philox((uint4)((uint) blk, (uint)(blk >> 32), 0u, 0u), (uint2)(k0, k1));
              if (!normal) {
                const uint wa = (e & 1) ? w.z : w.x, wb = (e & 1) ? w.w : w.y;
                out[off + gid] = ((double)(wa >> 5) * 67108864.0 + (double)(wb >> 6)) * 0x1.0p-53;
              } else {
                const double u1 = ((double)(w.x >> 5) * 67108864.0 + (double)(w.y >> 6)) * 0x1.0p-53 + 0x1.0p-53;
                const double u2 = ((double)(w.z >> 5) * 67108864.0 + (double)(w.w >> 6)) * 0x1.0p-53;
                out[off + gid] = box_muller(u1, u2, (e & 1) == 0);
              }
            #else
              const ulong blk = e >> 2;
              const uint4 w = philox((uint4)((uint) blk, (uint)(blk >> 32), 0u, 0u), (uint2)(k0, k1));
              if (!normal) {
                const uint q = (uint)(e & 3);
                const uint wv = q == 0 ? w.x : (q == 1 ? w.y : (q == 2 ? w.z : w.w));
                out[off + gid] = (float)(wv >> 8) * 0x1.0p-24f;
              } else {
                const int q = (int)((e >> 1) & 1);
                const uint wa = q ? w.z : w.x, wb = q ? w.w : w.y;
                const BM u1 = (BM)((wa >> 8) + 1u) * (BM)0x1.0p-24;
                const BM u2 = (BM)(wb >> 8) * (BM)0x1.0p-24;
                out[off + gid] = (float) box_muller(u1, u2, (e & 1) == 0);
              }
            #endif
            }
            """;
}
