package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/** A small DEQ's parameter gradients against central finite differences of the forward solve. */
class DeqLayerTest {

    @Test
    void parameterGradientsMatchFiniteDifferences() {
        DeqLayer layer = DeqLayer.init(3, 2, 3);
        Tensor x = Tensor.of(new double[] {0.3, -0.7, 1.1, 0.4}, 2, 2);
        Tensor target = Tensor.of(new double[] {0.1, -0.2, 0.3, 0.0, 0.5, -0.1}, 2, 3);
        Autodiff.MultiFunction loss = ps -> new DeqLayer(ps[0], ps[1], ps[2], layer.solver(), layer.backward())
                .forward(ps[3]).sub(target).square().sum();
        Tensor[] params = {layer.w(), layer.u(), layer.b(), x};
        List<Tensor> grads = Autodiff.gradAll(loss, params);
        double h = 1e-6;
        double worst = 0;
        for (int p = 0; p < params.length; p++) {
            double[] base = params[p].toDoubleArray();
            double[] g = grads.get(p).toDoubleArray();
            for (int i = 0; i < base.length; i++) {
                double[] up = base.clone();
                double[] dn = base.clone();
                up[i] += h;
                dn[i] -= h;
                Tensor[] pu = params.clone();
                Tensor[] pd = params.clone();
                pu[p] = Tensor.of(up, params[p].shape());
                pd[p] = Tensor.of(dn, params[p].shape());
                double fd;
                try (var _ = Autodiff.noGrad()) {
                    fd = (loss.apply(pu).item() - loss.apply(pd).item()) / (2 * h);
                }
                worst = Math.max(worst, Math.abs(fd - g[i]));
                assertEquals(fd, g[i], 1e-7, "parameter " + p + " element " + i);
            }
        }
        assertTrue(worst < 1e-7, "worst |FD − implicit| = " + worst);
    }

    @Test
    void equilibriumReportsTheForwardSolve() {
        DeqLayer layer = DeqLayer.init(3, 2, 3);
        Tensor x = Tensor.of(new double[] {0.3, -0.7, 1.1, 0.4}, 2, 2);
        Result r = layer.equilibrium(x);
        assertTrue(r.converged() && r.iterations() > 0, r.convergence().describe());
        double[] z = layer.forward(x).toDoubleArray();
        double[] zr = r.x().toDoubleArray();
        for (int i = 0; i < z.length; i++) {
            assertEquals(z[i], zr[i], 1e-12);
        }
    }
}
