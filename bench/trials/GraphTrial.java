import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;
import java.util.*;
import org.reprolab.tornado.*;
import org.reprolab.tornado.expr.*;
import org.reprolab.tornado.graph.*;

/** Trial (issue 16 item 4): one optimizer step and one RK4 step, direct launches vs the same tasks recorded as a task graph and replayed. */
public class GraphTrial {
    static final ElementwiseKernel SGD_M = ElementwiseKernel.of("sgd_m", 3, 2,
            in(0).sub(param(0).mul(param(1).mul(in(2)).add(in(1)))), param(1).mul(in(2)).add(in(1)));
    // y + c0 k0 + c1 k1 + c2 k2 + c3 k3 (the RK4 solution combination); stage: y + c k
    static final ElementwiseKernel STAGE = ElementwiseKernel.of("stage", 2, 1, in(0).add(in(1).mul(param(0))));
    static final ElementwiseKernel SOL = ElementwiseKernel.of("sol", 5, 4,
            in(0).add(in(1).mul(param(0))).add(in(2).mul(param(1))).add(in(3).mul(param(2))).add(in(4).mul(param(3))));
    static final ElementwiseKernel FIELD = ElementwiseKernel.of("field", 1, 0, in(0).tanh().neg()); // a stand-in vector field

    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), reps = Integer.parseInt(a[1]);
        for (String dn : a[2].split(",")) {
            Device d = Devices.get(dn);
            for (int round = 0; round < 5; round++) {
                double[] r = {optDirect(d, n, reps), optGraph(d, n, reps), rkDirect(d, n, reps), rkGraph(d, n, reps)};
                System.out.printf(Locale.ROOT, "%s n=%d round %d: optimizer step direct %.3f ms graph %.3f ms (%.2fx) | rk4 step direct %.3f ms graph %.3f ms (%.2fx)%n",
                        dn, n, round, r[0], r[1], r[1] / r[0], r[2], r[3], r[3] / r[2]);
            }
        }
    }

    static double optDirect(Device d, int n, int reps) {
        Buffer p = d.allocate(ElementType.F32, n), g = d.allocate(ElementType.F32, n), b = d.allocate(ElementType.F32, n);
        d.fill(g, 0, n, 1);
        List<Operand> ins = List.of(Operand.of(p), Operand.of(g), Operand.of(b)), outs = List.of(Operand.of(p), Operand.of(b));
        d.run(SGD_M, new int[] {n}, ins, outs, 0.1, 0.9);
        d.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) { d.run(SGD_M, new int[] {n}, ins, outs, 0.1 / (i + 1), 0.9); d.synchronize(); }
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    static double optGraph(Device d, int n, int reps) {
        float[] p = new float[n], g = new float[n], b = new float[n];
        Arrays.fill(g, 1);
        double[] hyper = {0.1, 0.9};
        var itg = new TaskGraph("sgd").transferToDevice(DataTransferMode.FIRST_EXECUTION, p, g, b)
                .elementwise("step", SGD_M, List.of(p, g, b), List.of(p, b), hyper).snapshot();
        try (var plan = new ExecutionPlan(itg).withDevice(d)) {
            plan.execute();
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) { hyper[0] = 0.1 / (i + 1); plan.execute(); }
            return (System.nanoTime() - t0) / 1e6 / reps;
        }
    }

    static double rkDirect(Device d, int n, int reps) {
        Buffer y = d.allocate(ElementType.F32, n), s = d.allocate(ElementType.F32, n);
        Buffer[] k = new Buffer[4];
        for (int j = 0; j < 4; j++) k[j] = d.allocate(ElementType.F32, n);
        d.fill(y, 0, n, 0.5);
        double h = 0.01;
        d.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            d.run(FIELD, n, List.of(y), List.of(k[0]));
            d.run(STAGE, n, List.of(y, k[0]), List.of(s), h / 2);
            d.run(FIELD, n, List.of(s), List.of(k[1]));
            d.run(STAGE, n, List.of(y, k[1]), List.of(s), h / 2);
            d.run(FIELD, n, List.of(s), List.of(k[2]));
            d.run(STAGE, n, List.of(y, k[2]), List.of(s), h);
            d.run(FIELD, n, List.of(s), List.of(k[3]));
            d.run(SOL, n, List.of(y, k[0], k[1], k[2], k[3]), List.of(y), h / 6, h / 3, h / 3, h / 6);
            d.synchronize();
        }
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    static double rkGraph(Device d, int n, int reps) {
        float[] y = new float[n], s = new float[n], k0 = new float[n], k1 = new float[n], k2 = new float[n], k3 = new float[n];
        Arrays.fill(y, 0.5f);
        double h = 0.01;
        var itg = new TaskGraph("rk4").transferToDevice(DataTransferMode.FIRST_EXECUTION, y)
                .elementwise("f0", FIELD, List.of(y), List.of(k0), null)
                .elementwise("g1", STAGE, List.of(y, k0), List.of(s), new double[] {h / 2})
                .elementwise("f1", FIELD, List.of(s), List.of(k1), null)
                .elementwise("g2", STAGE, List.of(y, k1), List.of(s), new double[] {h / 2})
                .elementwise("f2", FIELD, List.of(s), List.of(k2), null)
                .elementwise("g3", STAGE, List.of(y, k2), List.of(s), new double[] {h})
                .elementwise("f3", FIELD, List.of(s), List.of(k3), null)
                .elementwise("sol", SOL, List.of(y, k0, k1, k2, k3), List.of(y), new double[] {h / 6, h / 3, h / 3, h / 6})
                .snapshot();
        try (var plan = new ExecutionPlan(itg).withDevice(d)) {
            plan.execute();
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) plan.execute();
            return (System.nanoTime() - t0) / 1e6 / reps;
        }
    }
}
