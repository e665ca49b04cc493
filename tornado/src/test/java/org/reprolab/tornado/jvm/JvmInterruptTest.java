package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.tornado.expr.Expr.in;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.UnaryOp;

/**
 * A notebook's interrupt stops a long jvm-device kernel within one slice of work (issue 13): the call
 * ends well within a second with a {@link CancellationException} naming what was stopped, and the
 * thread and the device work normally once the flag is cleared.
 */
class JvmInterruptTest {

    /** Runs {@code work} on a thread, interrupts it after 200 ms and returns what it threw. */
    static Throwable interruptAfter200ms(Runnable work) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
            flagKept.set(Thread.interrupted());
        });
        t.start();
        Thread.sleep(200);
        assertTrue(t.isAlive(), "the work ended before the interrupt: make it longer");
        long at = System.nanoTime();
        t.interrupt();
        t.join(5_000);
        double seconds = (System.nanoTime() - at) / 1e9;
        assertTrue(!t.isAlive() && seconds < 1, "the work went on " + seconds + " s after the interrupt");
        assertEquals(Boolean.TRUE, flagKept.get(), "the interrupt flag is left set for enclosing loops");
        return thrown.get();
    }

    @Test
    void matmulStopsWithinASecond() throws InterruptedException {
        JvmDevice d = new JvmDevice(2);
        int n = 3000; // 54 GFLOP: seconds on any CPU
        Buffer a = d.allocate(ElementType.F32, n * n), b = d.allocate(ElementType.F32, n * n), c = d.allocate(ElementType.F32, n * n);
        d.fill(a, 0, n * n, 1);
        d.fill(b, 0, n * n, 2);
        Throwable e = interruptAfter200ms(() -> d.matmul(a, b, c, 1, n, n, n));
        assertInstanceOf(CancellationException.class, e);
        assertTrue(e.getMessage().contains("matmul") || e.getMessage().contains("kernel"), e.getMessage());
        stillWorks(d);
    }

    @Test
    void longElementwiseKernelStopsWithinASecond() throws InterruptedException {
        JvmDevice d = new JvmDevice(2);
        Expr e = in(0);
        for (int i = 0; i < 40; i++) e = e.unary(UnaryOp.SIN).unary(UnaryOp.EXP); // ~80 scalar Math calls per element
        ElementwiseKernel k = ElementwiseKernel.of("long_map", 1, 0, e);
        int n = 1 << 24;
        Buffer x = d.allocate(ElementType.F32, n), y = d.allocate(ElementType.F32, n);
        Throwable t = interruptAfter200ms(() -> d.run(k, n, List.of(x), List.of(y)));
        assertInstanceOf(CancellationException.class, t);
        assertTrue(t.getMessage().contains("interrupted"), t.getMessage());
        stillWorks(d);
    }

    /** After the interrupt the device computes normally: a 3x3 product against its closed form. */
    private static void stillWorks(Device d) {
        Buffer a = d.upload(ElementType.F32, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), c = d.allocate(ElementType.F32, 9);
        d.matmul(a, a, c, 1, 3, 3, 3);
        assertEquals(List.of(30f, 36f, 42f, 66f, 81f, 96f, 102f, 126f, 150f), boxed(c.toFloatArray()));
    }

    private static List<Float> boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) b[i] = v[i];
        return List.of(b);
    }
}
