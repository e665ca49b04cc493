package org.reprolab.ode;

import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.solvers.VectorField;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The seam: the explicit loop and the driver run over any state type with a {@link StateOps}. Here a
 * wrapper type with its own algebra (element-wise, in the same operation order as the fast path) must take
 * exactly the same steps and give the same results as the {@code double[]} fast path, events and dense
 * output included. This is the shape a tensor state will take.
 */
class GenericStateTest {
    record Vec(double[] v) {}

    static final class VecOps implements StateOps<Vec> {
        public Vec like(Vec x) { return new Vec(new double[x.v().length]); }
        public int size(Vec x) { return x.v().length; }
        public void copy(Vec s, Vec d) { System.arraycopy(s.v(), 0, d.v(), 0, s.v().length); }
        public void combine(Vec dst, Vec y, double h, double[] w, Vec[] k, int n) {
            for (int i = 0; i < dst.v().length; i++) { // same operation order as the fast path: equal bits
                double acc = y.v()[i];
                for (int j = 0; j < n; j++) if (w[j] != 0) acc += (h * w[j]) * k[j].v()[i];
                dst.v()[i] = acc;
            }
        }
        public void lincomb(Vec dst, double[] w, Vec[] v, int n) {
            for (int i = 0; i < dst.v().length; i++) {
                double acc = 0;
                for (int j = 0; j < n; j++) if (w[j] != 0) acc += w[j] * v[j].v()[i];
                dst.v()[i] = acc;
            }
        }
        public double scaledSumSquares(double[] w, Vec[] k, int n, Vec y0, Vec y1, double atol, double rtol) {
            double s = 0;
            for (int i = 0; i < y0.v().length; i++) {
                double e = 0;
                for (int j = 0; j < n; j++) if (w[j] != 0) e += w[j] * k[j].v()[i];
                double r = e / (atol + rtol * Math.max(Math.abs(y0.v()[i]), Math.abs(y1.v()[i])));
                s += r * r;
            }
            return s;
        }
        public double scaledRms(Vec v, Vec y, double atol, double rtol) {
            return scaledRmsDiff(v, like(v), y, atol, rtol);
        }
        public double scaledRmsDiff(Vec a, Vec b, Vec y, double atol, double rtol) {
            double s = 0;
            for (int i = 0; i < a.v().length; i++) {
                double r = (a.v()[i] - b.v()[i]) / (atol + rtol * Math.abs(y.v()[i]));
                s += r * r;
            }
            return Math.sqrt(s / a.v().length);
        }
        public double distance(Vec a, Vec b) {
            double s = 0;
            for (int i = 0; i < a.v().length; i++) s += (a.v()[i] - b.v()[i]) * (a.v()[i] - b.v()[i]);
            return Math.sqrt(s);
        }
        public boolean allFinite(Vec x) {
            for (double d : x.v()) if (!Double.isFinite(d)) return false;
            return true;
        }
        public void toArray(Vec x, double[] out) { System.arraycopy(x.v(), 0, out, 0, x.v().length); }
        public Vec fromArray(double[] values) { return new Vec(values.clone()); }
    }

    @Test
    void sameStepsAndResultsAsTheFastPath() {
        for (var p : new OdeProblems.Problem[]{OdeProblems.lotkaVolterra(), OdeProblems.arenstorf()}) {
            for (Tableau tab : new Tableau[]{Tableau.DOPRI5, Tableau.TSIT5, Tableau.DOP853, Tableau.BS3}) {
                StepController c = Controllers.pid(1e-7, 1e-10);
                OdeOptions o = OdeOptions.defaults().dense(true)
                        .event(Event.of("x=1", (t, y) -> y[0] - 1));
                Solution<double[]> fast = Ode.solve(p.problem(), tab, c, o);
                VectorField<Vec> f = (t, y, d) -> p.f().eval(t, y.v(), d.v());
                Solution<Vec> gen = Ode.solve(OdeProblem.of(f, new VecOps(), p.t0(), p.t1(), new Vec(p.y0())), tab, c, o);
                assertEquals(fast.stats().nfev(), gen.stats().nfev(), p.name() + " " + tab);
                assertEquals(fast.stats().naccept(), gen.stats().naccept(), p.name() + " " + tab);
                assertEquals(fast.stats().nreject(), gen.stats().nreject(), p.name() + " " + tab);
                assertEquals(fast.events().size(), gen.events().size());
                double[] a = fast.yEnd(), b = gen.yEnd().v();
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-12 * (1 + Math.abs(a[i])), p.name() + " " + tab);
                double tm = 0.37 * p.t1();
                assertArrayEquals(fast.y(tm), gen.y(tm), 1e-10, p.name() + " " + tab + " dense");
            }
        }
    }
}
