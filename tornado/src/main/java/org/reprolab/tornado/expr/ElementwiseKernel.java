package org.reprolab.tornado.expr;

import java.util.List;

/**
 * A fused element-wise kernel: {@code inputs} buffers and {@code params} scalars in, one output per
 * expression, all computed in one pass over the data. Several outputs let an optimizer step read
 * {@code p, g, m, v} once and write {@code p, m, v} once (acceleration.md §3.4: about 2.5x less
 * memory traffic than one kernel per update line).
 *
 * <p>A value: equal kernels share their compiled form on every device.
 *
 * @param name    shown in errors and profiles; part of the identity
 * @param inputs  number of buffer inputs ({@link Expr.In} indices must be below it)
 * @param params  number of scalar parameters ({@link Expr.Param} indices must be below it)
 * @param outputs one expression per output buffer
 */
public record ElementwiseKernel(String name, int inputs, int params, List<Expr> outputs) {

    public ElementwiseKernel {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw new IllegalArgumentException("kernel name must be an identifier, got '" + name + "'");
        if (inputs < 0 || params < 0) throw new IllegalArgumentException("negative input/param count");
        outputs = List.copyOf(outputs);
        if (outputs.isEmpty()) throw new IllegalArgumentException("kernel '" + name + "' has no outputs");
        for (Expr e : outputs) check(name, e, inputs, params);
    }

    public static ElementwiseKernel of(String name, int inputs, int params, Expr... outputs) {
        return new ElementwiseKernel(name, inputs, params, List.of(outputs));
    }

    private static void check(String name, Expr e, int inputs, int params) {
        switch (e) {
            case Expr.In i -> {
                if (i.index() >= inputs)
                    throw new IllegalArgumentException("kernel '" + name + "' reads input " + i.index() + " but declares " + inputs + " inputs");
            }
            case Expr.Param p -> {
                if (p.index() >= params)
                    throw new IllegalArgumentException("kernel '" + name + "' reads param " + p.index() + " but declares " + params + " params");
            }
            case Expr.Const k -> { }
            case Expr.Unary u -> check(name, u.x(), inputs, params);
            case Expr.Binary b -> { check(name, b.a(), inputs, params); check(name, b.b(), inputs, params); }
            case Expr.Ternary t -> {
                check(name, t.a(), inputs, params);
                check(name, t.b(), inputs, params);
                check(name, t.c(), inputs, params);
            }
        }
    }

    /** Reference evaluation of every output at one element (double precision). */
    public double[] eval(double[] in, double[] par) {
        double[] r = new double[outputs.size()];
        for (int k = 0; k < r.length; k++) r[k] = outputs.get(k).eval(in, par);
        return r;
    }
}
