package org.reprolab.kernel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
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
        assertTrue(e.traceback().stream().anyMatch(l -> l.startsWith("    at boom (cell [")), e.traceback().toString());
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
        LibraryLoop.SPINNING.drainPermits();
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("org.reprolab.kernel.shell.LibraryLoop.spinUntilInterrupted()");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(LibraryLoop.SPINNING.tryAcquire(20, TimeUnit.SECONDS));
        session.stop();
        CellException e = assertInstanceOf(CellException.class, running.get(20, TimeUnit.SECONDS));
        assertEquals("Interrupted", e.name());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aStatementThatHandlesTheInterruptKeepsItsValueAndTheRestOfTheCellDoesNotRun() throws Exception {
        // the last statement handles the interrupt and returns: the cell completes with its value
        LibraryLoop.SPINNING.drainPermits();
        CompletableFuture<Object> last = CompletableFuture.supplyAsync(() -> session.eval("org.reprolab.kernel.shell.LibraryLoop.partialOnInterrupt()"));
        assertTrue(LibraryLoop.SPINNING.tryAcquire(20, TimeUnit.SECONDS));
        session.stop();
        JShellSession.Value value = assertInstanceOf(JShellSession.Value.class, last.get(20, TimeUnit.SECONDS));
        assertEquals("partial after some spins", String.valueOf(value.value()));
        // a statement that handles it keeps its variable, but the statements after it do not run
        CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
            try {
                session.eval("var kept = org.reprolab.kernel.shell.LibraryLoop.partialOnInterrupt();\nint after = 1;");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(LibraryLoop.SPINNING.tryAcquire(20, TimeUnit.SECONDS));
        session.stop();
        CellException e = assertInstanceOf(CellException.class, first.get(20, TimeUnit.SECONDS));
        assertEquals("Interrupted", e.name());
        assertEquals("partial after some spins", String.valueOf(session.eval("kept").value()));
        assertThrows(CellException.class, () -> session.eval("after"));
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

    @Test
    void readinessAgreesWithJavacOnDeclarationsThatDoNotParse() {
        // analyzeCompletion alone calls these complete; javac rejects both
        assertInstanceOf(JShellSession.Readiness.Invalid.class, session.readiness("int 3x = 1;"));
        assertInstanceOf(JShellSession.Readiness.Invalid.class, session.readiness("double d = * 2;"));
        assertInstanceOf(JShellSession.Readiness.Invalid.class, session.readiness("int ok = 1; int 3x = 1;"));
        assertInstanceOf(JShellSession.Readiness.Complete.class, session.readiness("List<String> names = List.of();"));
    }

    @Test
    void aCellThatDoesNotParseRunsNothingAndChangesNoState() {
        session.eval("int untouched = 1;");
        CellException e = assertThrows(CellException.class, () -> session.eval("untouched = 5; }"));
        assertEquals("CompilationError", e.name());
        assertEquals(1, session.eval("untouched").value());
        assertThrows(CellException.class, () -> session.eval("untouched = 6;\nint neverDeclared = 2;\ndouble d = * 2;"));
        assertEquals(1, session.eval("untouched").value());
        assertFalse(session.variables().contains("neverDeclared"));
        assertEquals("Nothing in the cell ran.", e.traceback().getLast());
    }

    @Test
    void tracesNameTheCellAndItsLineInsteadOfJShellSnippets() {
        session.eval("int half(int n) {\n    if (n == 0) throw new IllegalArgumentException(\"zero\");\n    return n / 2;\n}", 3, 1);
        CellException e = assertThrows(CellException.class, () -> session.eval("int a = 4;\nhalf(a);\nhalf(0);", 4, 2));
        assertEquals(List.of("java.lang.IllegalArgumentException: zero",
                "    at half (cell [3], line 2)",
                "    at cell [4], line 4"), e.traceback());
        CellException compile = assertThrows(CellException.class, () -> session.eval("int fine = 1;\nint broken = nowhere;", 5, 1));
        assertTrue(compile.traceback().getFirst().startsWith("error in cell [5], line 2: cannot find symbol"), compile.traceback().toString());
        // the cell is compiled as a whole before it runs: its first line did not run either
        assertEquals("Nothing in the cell ran.", compile.traceback().getLast());
        assertFalse(session.variables().contains("fine"));
    }

    @Test
    void aCellWithATypeErrorAnywhereRunsNothingAndChangesNoState() {
        session.eval("int counted = 1;\nint answer() { return 1; }\nvar kept = new java.util.ArrayList<>(java.util.List.of(\"a\"));");
        Object list = session.eval("kept").value();
        CellException e = assertThrows(CellException.class, () -> session.eval(
                "counted = 5;\nint fresh = 3;\nint answer() { return 2; }\nvar kept = java.util.List.of();\nString bad = 1;", 12, 1));
        assertTrue(e.traceback().getFirst().startsWith("error in cell [12], line 5: incompatible types"), e.traceback().toString());
        assertEquals("Nothing in the cell ran.", e.traceback().getLast());
        assertEquals(1, session.eval("counted").value());
        assertFalse(session.variables().contains("fresh"));
        assertEquals(1, session.eval("answer()").value(), "the method the failed cell redefined is back");
        assertSame(list, session.eval("kept").value(), "the variable the failed cell redeclared holds its old object");
        // a redeclared variable is still the live one: assignments reach it, and a later cell sees them
        session.eval("kept.add(\"b\");");
        assertEquals(List.of("a", "b"), session.eval("kept").value());
    }

    @Test
    void aCellThatCompilesRunsInOrderWithTheValuesBeforeIt() {
        session.eval("int base = 3;");
        // compiled as a whole first, yet `doubled` reads the old `base` and the redeclaration comes after it
        assertEquals(List.of(6, 7), session.eval("int doubled = base * 2;\nint base = 7;\njava.util.List.of(doubled, base)").value());
        assertEquals(7, session.eval("base").value());
    }

    @Test
    void deepRecursionIsFoldedIntoOneLine() {
        session.eval("int depth(int n) { return depth(n + 1); }", 8, 1);
        CellException e = assertThrows(CellException.class, () -> session.eval("depth(0)", 9, 1));
        assertEquals("java.lang.StackOverflowError", e.name());
        List<String> frames = e.traceback().stream().filter(l -> l.startsWith("    at depth (cell [8], line 1)")).toList();
        assertEquals(StackFolding.KEEP, frames.size(), e.traceback().toString());
        String folded = e.traceback().stream().filter(l -> l.contains("more calls of")).findFirst().orElseThrow();
        // the JVM keeps 1,024 frames: 3 shown, the rest of depth's frames folded (one may be JShell's stop check)
        assertTrue(folded.equals("    … 1,020 more calls of depth(int)") || folded.equals("    … 1,021 more calls of depth(int)"), folded);
        assertTrue(e.traceback().size() < 10, e.traceback().toString());
    }

    @Test
    void aMissingSymbolAtTopLevelNamesALocationAndNullPointersNameTheVariable() {
        CellException missing = assertThrows(CellException.class, () -> session.eval("int y = notDeclaredAnywhere + 1;"));
        assertTrue(missing.getMessage().endsWith("location: the top level of the notebook"), missing.getMessage());
        session.eval("int len(String s) { return s.length(); }");
        CellException npe = assertThrows(CellException.class, () -> session.eval("len(null)"));
        assertEquals("Cannot invoke \"String.length()\" because \"s\" is null", npe.getMessage());
    }

    @Test
    void anOutOfMemoryErrorNamesTheHeapLimitAndDropsTheCellsVariables() {
        CellException e = assertThrows(CellException.class,
                () -> session.eval("var hoard = new long[1000];\nthrow new OutOfMemoryError(\"Java heap space\");"));
        assertEquals("java.lang.OutOfMemoryError", e.name());
        long max = Runtime.getRuntime().maxMemory();
        String limit = max < (1L << 30) ? max / (1 << 20) + " MiB"
                : String.format(java.util.Locale.ROOT, "%.1f GiB", max / (double) (1L << 30));
        assertTrue(e.getMessage().startsWith("Java heap space: the kernel's heap is limited to " + limit + " (-Xmx)"), e.getMessage());
        assertTrue(e.getMessage().contains("REPROLAB_KERNEL_HEAP=16g") && e.getMessage().contains("JDK_JAVA_OPTIONS=-Xmx16g"), e.getMessage());
        assertEquals("To give the memory back, the variables this cell declared were dropped: hoard", e.traceback().getLast());
        assertFalse(session.variables().contains("hoard"));
    }

    @Test
    void declaredValuesAreNotTurnedIntoStringsUnlessShown() {
        session.eval("int toStringCalls = 0;\nclass Loud { public String toString() { toStringCalls++; return \"loud\"; } }");
        session.eval("var quiet = new Loud();");
        session.eval("var quieter = new Loud[] { new Loud(), new Loud() };");
        assertEquals(0, session.eval("toStringCalls").value());
        assertEquals("loud", String.valueOf(session.eval("quiet").value()));
        assertEquals(1, session.eval("toStringCalls").value());
    }

    @Test
    void aGigabyteArrayDeclaredAtTopLevelReturnsAsFastAsInABlock() {
        long block = timeMillis("{ var inner = new byte[1 << 30]; }");
        long topLevel = timeMillis("var gig = new byte[1 << 30];");
        session.eval("gig = null;");
        System.out.printf("1 GiB array: %d ms at top level, %d ms in a block%n", topLevel, block);
        assertTrue(topLevel <= 2 * block + 1000, topLevel + " ms at top level against " + block + " ms in a block");
    }

    private static long timeMillis(String cell) {
        long start = System.nanoTime();
        session.eval(cell);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void valuesOfReplacedVariablesAndShownExpressionsAreReleased() {
        session.eval("var released = new java.lang.ref.WeakReference<Object>(null);\nvar big = new byte[20_000_000];\nreleased = new java.lang.ref.WeakReference<Object>(big);");
        session.eval("var big = 1;");
        session.eval("System.gc();");
        assertEquals(true, session.eval("released.get() == null").value());
        Object shown = session.eval("new int[] {1, 2, 3}").value();
        assertEquals(3, ((int[]) shown).length);
        assertTrue(session.variables().stream().noneMatch(name -> name.startsWith("$")), session.variables().toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void threadsACellLeftRunningCanBeStopped() throws Exception {
        // a session of its own: no thread another test left behind is counted
        try (JShellSession own = JShellSession.start(org.reprolab.kernel.TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            own.eval("Thread sleeper = new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) { } });\n"
                    + "Thread spinner = new Thread(() -> { long n = 0; while (true) { n++; } });\n"
                    + "sleeper.start(); spinner.start();");
            assertEquals(2, own.stopBackgroundThreads());
            assertEquals(false, own.eval("sleeper.join(10_000); spinner.join(10_000); sleeper.isAlive() || spinner.isAlive()").value());
            assertEquals(0, own.stopBackgroundThreads());
        }
    }
}
