package org.reprolab.tensor;

import java.util.concurrent.CancellationException;

/**
 * Long computations (big kernels, the backward pass) poll the calling thread's interrupt flag, so a
 * notebook's "interrupt kernel" stops them and leaves the JVM alive. The flag is left set so that
 * enclosing loops see it too.
 */
final class Interrupts {
    private Interrupts() {}

    static void check(Thread caller, String where) {
        if (caller.isInterrupted()) {
            throw new CancellationException("interrupted during " + where);
        }
    }

    static void check(String where) {
        check(Thread.currentThread(), where);
    }
}
