package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Adam's two moments of the update (Kingma and Ba, ICLR 2015), the core that Adam, NAdam, RAdam,
 * diffGrad and EXAdam share: {@code m = b1 m + (1-b1) u}, {@code v = b2 v + (1-b2) u^2}, with
 * {@code b1, b2} the transformation's hyper-parameters {@code beta1} and {@code beta2}.
 *
 * @param m the first moment's next value
 * @param v the second moment's next value
 */
record AdamMoments(Expr m, Expr v) {

    /** The slots' names as torch spells them ({@code state['exp_avg']}, {@code state['exp_avg_sq']}). */
    static final String FIRST = "exp_avg", SECOND = "exp_avg_sq";

    /** The two moment slots under torch's names, then {@code more} (all starting at zero). */
    static List<Slot> slots(String... more) {
        List<Slot> out = new ArrayList<>(List.of(Slot.zeros(FIRST), Slot.zeros(SECOND)));
        for (String name : more) out.add(Slot.zeros(name));
        return List.copyOf(out);
    }

    /** Updates the slots named as torch does, see {@link #update(Pass, String, String)}. */
    static AdamMoments update(Pass p) {
        return update(p, FIRST, SECOND);
    }

    /** Updates slots {@code first} and {@code second} with the incoming update and returns their next values. */
    static AdamMoments update(Pass p, String first, String second) {
        Expr u = p.update();
        Expr m = p.ema("beta1", p.slot(first), u), v = p.ema("beta2", p.slot(second), u.mul(u));
        p.slot(first, m);
        p.slot(second, v);
        return new AdamMoments(m, v);
    }
}
