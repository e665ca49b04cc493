package org.reprolab.ode.tensor;

import org.reprolab.ode.StepEstimate;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Counters;
import org.reprolab.ode.solvers.InitialStep;
import org.reprolab.ode.solvers.Stepper;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.solvers.VectorField;
import org.reprolab.tensor.Tensor;

/**
 * The random-time-point regulariser of <i>Locally Regularized Neural Differential Equations</i> (Pal, Edelman,
 * Rackauckas, ICML 2023; avik-pal/LocalRegNeuralDE.jl {@code src/perform_step.jl}): from the state y(t) at a
 * time drawn by the caller, a fresh integrator chooses Hairer's initial step h and takes one step; its EEst
 * (multiply by |h| for the paper's error penalty) and hλ come back differentiable through y and the field's
 * parameters, whatever sensitivity produced y(t).
 *
 * @param step the one-step estimate
 * @param nfev the evaluations it cost (s + 1 for the step and the initial-step heuristic's 1)
 */
public record LocalEstimate(StepEstimate step, long nfev) {

    /** One step of {@code tab} from (t, y) at the controller's tolerances. */
    public static LocalEstimate at(TensorField f, Tableau tab, StepController ctl, double t, Tensor y) {
        TensorOps ops = new TensorOps(y);
        Counters count = new Counters();
        VectorField<TensorState> vf = TensorSolve.field(f);
        TensorState ys = new TensorState(new Tensor[]{y});
        Stepper<TensorState> st = Stepper.explicit(tab, vf, ops, new TensorState(new Tensor[]{y}), count, ctl.rtol(), ctl.atol());
        st.start(t, ys);
        double h = InitialStep.hairer(vf, ops, t, ys, st.f(), 1, tab.controlOrder(), ctl.rtol(), ctl.atol(), count);
        TensorState yNew = ops.like(ys);
        st.attempt(t, ys, h, yNew);
        double hl = st.hLambda();
        return new LocalEstimate(new StepEstimate(t, h, ops.errorEstimate(tab, h),
                Double.isNaN(hl) ? null : ops.stiffnessEstimate(h, hl)), count.nfev);
    }
}
