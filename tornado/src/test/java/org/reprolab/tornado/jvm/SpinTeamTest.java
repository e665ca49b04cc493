package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The GEMM's spinning team ({@link SpinTeam}, reached through {@link Parallel#forTasks}): every task runs
 * exactly once, helpers really take tasks, a failure or an interrupt reaches the caller as with the
 * pool, a second caller is turned away (and served by the pool), and a closed team's helpers end.
 */
class SpinTeamTest {

    @Test
    void runsEveryTaskOnceAndHelpersTakeSome() throws InterruptedException {
        try (SpinTeam team = new SpinTeam(3, "test-team")) {
            int count = 200;
            AtomicIntegerArray runs = new AtomicIntegerArray(count);
            Thread caller = Thread.currentThread();
            CountDownLatch helperRan = new CountDownLatch(1);
            assertTrue(team.tryRun(count, (t, end) -> {
                assertEquals(t + 1, end);
                runs.incrementAndGet(t);
                if (Thread.currentThread() != caller) helperRan.countDown();
                else awaitQuietly(helperRan); // the caller holds back until a helper has taken a task
            }));
            for (int t = 0; t < count; t++) assertEquals(1, runs.get(t), "task " + t);
            assertEquals(0, helperRan.getCount(), "no helper took a task");
        }
    }

    @Test
    void aTaskFailureReachesTheCaller() {
        try (SpinTeam team = new SpinTeam(2, "test-team")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.tryRun(50, (t, end) -> {
                if (t == 37) throw new IllegalStateException("task 37 failed");
            }));
            assertEquals("task 37 failed", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(10);
            assertTrue(team.tryRun(10, (t, end) -> runs.incrementAndGet(t)), "the team works after a failure");
            for (int t = 0; t < 10; t++) assertEquals(1, runs.get(t));
        }
    }

    @Test
    void anInterruptStopsTheTasksAndLeavesTheFlagSet() throws InterruptedException {
        Parallel par = new Parallel(2);
        // tasks that never end unless the caller's interrupt stops them at their check
        Throwable e = JvmInterruptTest.interruptAfter200ms(() -> par.forTasks(4, (t, end) -> {
            while (true) {
                Parallel.checkInterrupt("a test task");
                Thread.onSpinWait();
            }
        }));
        assertInstanceOf(CancellationException.class, e);
        assertTrue(e.getMessage().contains("a test task"), e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        par.forTasks(4, (t, end) -> runs.incrementAndGet(t));
        for (int t = 0; t < 4; t++) assertEquals(1, runs.get(t), "task " + t + " after the interrupt");
    }

    @Test
    void aSecondCallerIsTurnedAwayAndServedByThePool() throws Exception {
        Parallel par = new Parallel(2);
        CountDownLatch firstRunning = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread first = new Thread(() -> par.forTasks(2, (t, end) -> {
            firstRunning.countDown();
            awaitQuietly(release);
        }));
        first.start();
        assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        par.forTasks(8, (t, end) -> runs.incrementAndGet(t)); // the team is busy: this call goes to the pool
        for (int t = 0; t < 8; t++) assertEquals(1, runs.get(t), "task " + t);
        release.countDown();
        first.join(10_000);
        assertFalse(first.isAlive());
    }

    @Test
    void closedTeamEndsItsHelpersAndRunsOnTheCaller() throws InterruptedException {
        SpinTeam team = new SpinTeam(3, "test-team");
        assertTrue(team.tryRun(8, (t, end) -> {}));
        assertEquals(2, team.aliveHelpers());
        team.close();
        for (long end = System.nanoTime() + 5_000_000_000L; team.aliveHelpers() > 0 && System.nanoTime() < end; ) Thread.sleep(10);
        assertEquals(0, team.aliveHelpers(), "helpers still alive after close");
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(20);
        assertTrue(team.tryRun(20, (t, end) -> {
            runs.incrementAndGet(t);
            ranOn.add(Thread.currentThread());
        }));
        for (int t = 0; t < 20; t++) assertEquals(1, runs.get(t));
        assertEquals(Set.of(Thread.currentThread()), ranOn, "a closed team runs every task on the caller");
        assertEquals(0, team.aliveHelpers());
    }

    @Test
    void sizeBelowOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SpinTeam(0, "t"));
        assertTrue(e.getMessage().contains("size 0"), e.getMessage());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out waiting for another thread");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
