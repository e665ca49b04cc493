package org.reprolab.optim;

import org.reprolab.tornado.expr.Expr;

/**
 * A chain part that is the identity on the update and tells whoever runs the chain to do something around it:
 * {@link ZerothOrder} (feed the chain MeZO's two-forward-pass estimate) and {@link Frugal.Part} (run the rest
 * of the chain under FRUGAL's split). Marking a chain keeps such options where chains travel (named, swept by
 * hyper-parameter, passed to {@code Lab}) without a second argument next to the chain.
 */
interface Marker extends Elementwise {

    @Override
    default Expr apply(Pass pass) {
        return pass.update();
    }
}
