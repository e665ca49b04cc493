package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.DeviceContract;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.UnaryOp;

/** The generated fused loop and the chunked interpreter run the same lane ops, so they agree bit for bit. */
class FusedVsInterpretedTest {

    @Test
    void sameBitsOnEveryLaneOp() {
        List<Expr> outs = new ArrayList<>(DeviceContract.ALL_OPS.outputs());
        outs.removeIf(e -> e instanceof Expr.Unary u && (u.op() == UnaryOp.FLOOR || u.op() == UnaryOp.ERF)); // no lane op: never fused
        ElementwiseKernel k = new ElementwiseKernel("lane_ops", 3, 2, outs);
        for (ElementType dt : ElementType.values()) {
            JvmDevice fused = new JvmDevice(2), interpreted;
            System.setProperty("reprolab.jvm.interpret", "true");
            try {
                interpreted = new JvmDevice(2);
                run(interpreted, k, dt, 10); // engines are built on first use
            } finally {
                System.clearProperty("reprolab.jvm.interpret");
            }
            int n = 70_001;
            assertArrayEquals(run(interpreted, k, dt, n), run(fused, k, dt, n), 0.0, dt.toString());
        }
    }

    private static double[] run(JvmDevice d, ElementwiseKernel k, ElementType dt, int n) {
        List<Buffer> in = List.of(d.upload(dt, DeviceContract.data(1, n, -3, 3)), d.upload(dt, DeviceContract.data(2, n, -2, 2)),
                d.upload(dt, DeviceContract.data(3, n, -1, 1)));
        List<Buffer> out = new ArrayList<>();
        for (int i = 0; i < k.outputs().size(); i++) out.add(d.allocate(dt, n));
        d.run(k, n, in, out, 0.5, -0.25);
        double[] all = new double[n * out.size()];
        for (int i = 0; i < out.size(); i++) out.get(i).read(0, all, i * n, n);
        return all;
    }
}
