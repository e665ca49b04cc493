package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.tornado.expr.Expr.in;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.DeviceContract;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.BinaryOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.UnaryOp;

/**
 * Reruns give the same bits before and after C2 compiles the kernels (issue 13: M-FAC's reruns differed
 * because the Vector API's {@code reduceLanes(ADD)} and SIMD {@code exp} change their last bits once
 * intrinsified). Each transcendental lane must have the same bits cold and warm and lie within
 * {@link #ULPS} of the host's {@code Math} function (exactly equal for the ops still computed by
 * {@code Math} per lane), and a sum must not change while its loop warms up.
 */
class JvmReproducibilityTest {
    private static final UnaryOp[] MAPS = {UnaryOp.EXP, UnaryOp.EXPM1, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.SIN, UnaryOp.COS, UnaryOp.TANH};
    /** Enough calls for C2 to compile the lane loops (each call runs hundreds of loop iterations). */
    private static final int WARM = 400;
    /** The error bound of {@link FloatLaneMath} / {@link DoubleLaneMath} (measured by {@link LaneMathTest}). */
    private static final long ULPS = 2;

    @Test
    void transcendentalLanesKeepTheirBitsWhileWarmingUpAndStayNearHostMath() {
        List<Expr> outs = new ArrayList<>();
        for (UnaryOp op : MAPS) outs.add((op == UnaryOp.LOG || op == UnaryOp.LOG1P ? in(0).abs() : in(0)).unary(op));
        outs.add(in(0).abs().binary(BinaryOp.POW, in(1)));
        ElementwiseKernel k = new ElementwiseKernel("maps", 2, 0, outs);
        JvmDevice d = new JvmDevice(2);
        int n = 10_007; // not a multiple of the lane count: the masked tail is checked too
        for (ElementType dt : ElementType.values()) {
            Buffer x = d.upload(dt, DeviceContract.data(7, n, -4, 4)), y = d.upload(dt, DeviceContract.data(8, n, -2, 2));
            double[] xs = x.toDoubleArray(), ys = y.toDoubleArray();
            List<Buffer> out = new ArrayList<>();
            for (int i = 0; i < outs.size(); i++) out.add(d.allocate(dt, n));
            double[][] cold = new double[MAPS.length][];
            for (int round = 0; round <= WARM; round++) {
                d.run(k, n, List.of(x, y), out);
                if (round != 0 && round != WARM) continue; // check cold and warm
                for (int o = 0; o < MAPS.length; o++) {
                    double[] got = out.get(o).toDoubleArray();
                    UnaryOp op = MAPS[o];
                    if (round == 0) cold[o] = got;
                    else assertArrayEquals(cold[o], got, 0.0, dt + " " + op + " cold vs warm");
                    long bound = op == UnaryOp.SIN || op == UnaryOp.COS ? 0 : ULPS;
                    for (int i = 0; i < n; i++) {
                        double arg = op == UnaryOp.LOG || op == UnaryOp.LOG1P ? Math.abs(xs[i]) : xs[i];
                        long off = dt == ElementType.F32 ? LaneMathTest.distance((float) got[i], (float) op.apply(arg))
                                : LaneMathTest.distance(got[i], op.apply(arg));
                        assertTrue(off <= bound, dt + " " + op + "(" + arg + ") is " + off + " ulp off Math after " + round + " runs");
                    }
                }
                double[] pow = out.get(MAPS.length).toDoubleArray();
                DoubleBinaryOperator ref = (a, b) -> Math.pow(Math.abs(a), b);
                for (int i = 0; i < n; i++)
                    assertEquals(round(dt, ref.applyAsDouble(xs[i], ys[i])), pow[i], 0.0, dt + " pow after " + round + " runs");
            }
        }
    }

    @Test
    void sumsKeepTheirBitsWhileTheirLoopsWarmUp() {
        JvmDevice d = new JvmDevice(2);
        int n = 1_000_003;
        for (ElementType dt : ElementType.values()) {
            Buffer x = d.upload(dt, DeviceContract.data(9, n, -1, 2));
            double exact = 0;
            for (double v : x.toDoubleArray()) exact += v; // sequential f64: within 1e-9 relative of any order
            for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.SUM_SQUARES}) {
                double cold = d.reduceToHost(op, x, 0, n);
                for (int i = 0; i < WARM / 4; i++) d.reduceToHost(op, x, 0, n);
                assertEquals(Double.doubleToLongBits(cold), Double.doubleToLongBits(d.reduceToHost(op, x, 0, n)), dt + " " + op);
                if (op == ReduceOp.SUM) assertEquals(exact, cold, 1e-6 * Math.abs(exact), dt + " sum");
            }
            // rows reduced one by one (the M-FAC products' path) keep their bits too
            Buffer rows = d.allocate(dt, 64);
            d.reduce(ReduceOp.SUM, x, 0, 64, n / 64, 1, rows, 0);
            double[] first = rows.toDoubleArray();
            for (int i = 0; i < WARM / 4; i++) d.reduce(ReduceOp.SUM, x, 0, 64, n / 64, 1, rows, 0);
            assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(rows.toDoubleArray()), dt + " row sums");
        }
    }

    private static double round(ElementType dt, double v) {
        return dt == ElementType.F32 ? (float) v : v;
    }
}
