package org.reprolab.kernel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JShellSessionTest {

    private static JShellSession session;

    @BeforeAll
    static void start() {
        session = JShellSession.start(org.reprolab.kernel.TestClasspath.get(), List.of(), System.out, System.err, System.in);
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void evaluatesEverySnippetOfACellAndReturnsTheLastValueAsALiveObject() {
        JShellSession.Value value = session.eval("int p = 1; int q = 2;\nvar list = new java.util.ArrayList<Integer>();\nlist.add(p + q);\nlist");
        assertTrue(value.present());
        assertEquals(List.of(3), value.value());
        assertTrue(session.variables().containsAll(List.of("p", "q", "list")));
    }

    @Test
    void expressionValuesArePrimitivesBoxedAndStringsUnquoted() {
        assertEquals(42, session.eval("6*7").value());
        assertEquals("ab", session.eval("\"a\" + \"b\"").value());
        assertEquals(null, session.eval("(Object) null").value());
        assertTrue(session.eval("(Object) null").present());
    }

    @Test
    void aTrailingSemicolonOrADeclarationHidesTheValue() {
        assertFalse(session.eval("6*7;").present());
        assertFalse(session.eval("int declared = 5;").present());
        assertFalse(session.eval("System.out.print(\"\")").present());
        assertEquals(5, session.eval("declared").value());
        assertEquals(9, session.eval("declared = 9").value());
    }

    @Test
    void methodsAndClassesCanBeDefinedAndUsedInOneCell() {
        Object v = session.eval("record Point(double x, double y) { double norm() { return Math.hypot(x, y); } }\n"
                + "double twice(double a) { return 2 * a; }\n"
                + "twice(new Point(3, 4).norm())").value();
        assertEquals(10.0, v);
    }

    @Test
    void runtimeErrorsNameTheExceptionAndHideKernelFrames() {
        CellException e = assertThrows(CellException.class,
                () -> session.eval("void boom() { throw new IllegalStateException(\"boom\"); }\nboom();"));
        assertEquals("java.lang.IllegalStateException", e.name());
        assertEquals("boom", e.getMessage());
        assertEquals("java.lang.IllegalStateException: boom", e.traceback().getFirst());
        assertTrue(e.traceback().stream().anyMatch(l -> l.startsWith("    at boom (#")), e.traceback().toString());
        assertTrue(e.traceback().stream().noneMatch(l -> l.contains("jdk.jshell") || l.contains("reflect")), e.traceback().toString());
    }

    @Test
    void compileErrorsShowTheMessageAndUnderlineTheSource() {
        CellException e = assertThrows(CellException.class, () -> session.eval("int ok = 1;\nint bad = undefinedThing + 1;"));
        assertEquals("CompilationError", e.name());
        assertTrue(e.getMessage().contains("cannot find symbol"), e.getMessage());
        assertTrue(e.traceback().contains("    int bad = undefinedThing + 1;"), e.traceback().toString());
        assertTrue(e.traceback().contains("              ^------------^"), e.traceback().toString());
    }

    @Test
    void aCellStopsAtItsFirstFailure() {
        assertThrows(CellException.class, () -> session.eval("int before = 1;\nthrow new RuntimeException(\"x\");\nint after = 2;"));
        assertTrue(session.variables().contains("before"));
        assertFalse(session.variables().contains("after"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stopEndsACpuBoundLoopWithAnInterruptedErrorAndTheSessionLivesOn() throws Exception {
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("long n = 0; while (true) { n++; }");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(700);
        session.stop();
        Throwable thrown = running.get(20, TimeUnit.SECONDS);
        CellException e = assertInstanceOf(CellException.class, thrown);
        assertEquals("Interrupted", e.name());
        assertEquals(2, session.eval("1 + 1").value());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void stopReachesLibraryLoopsThatCheckForInterruption() throws Exception {
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("org.reprolab.kernel.shell.LibraryLoop.spinUntilInterrupted()");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(700);
        session.stop();
        CellException e = assertInstanceOf(CellException.class, running.get(20, TimeUnit.SECONDS));
        assertEquals("Interrupted", e.name());
    }

    @Test
    void completionOffersMembersOfTheSnippetUnderTheCursor() {
        JShellSession.Completion c = session.complete("int a = 1;\nStrin", "int a = 1;\nStrin".length());
        assertTrue(c.matches().containsAll(List.of("String", "StringBuilder")), c.matches().toString());
        assertEquals("int a = 1;\n".length(), c.start());
        JShellSession.Completion m = session.complete("Math.ab", 7);
        assertTrue(m.matches().contains("abs("), m.matches().toString());
        assertEquals(5, m.start());
    }

    @Test
    void inspectionFindsClassesAndMethodOverloads() {
        assertTrue(session.inspect("Math", 2, false).contains("java.lang.Math"));
        String max = session.inspect("Math.max", 8, true);
        assertTrue(max.contains("max(int a, int b)") || max.contains("max(int,int)"), max);
    }

    @Test
    void readinessTellsCompleteFromIncompleteFromInvalid() {
        assertInstanceOf(JShellSession.Readiness.Complete.class, session.readiness("int x = 1;"));
        assertInstanceOf(JShellSession.Readiness.Complete.class, session.readiness("int x = 1; x + 1"));
        JShellSession.Readiness open = session.readiness("for (int i = 0; i < 3; i++) {");
        assertEquals("    ", assertInstanceOf(JShellSession.Readiness.Incomplete.class, open).indent());
        assertInstanceOf(JShellSession.Readiness.Invalid.class, session.readiness("int x = ;"));
        assertInstanceOf(JShellSession.Readiness.Invalid.class, session.readiness("}"));
    }
}
