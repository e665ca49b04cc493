package org.reprolab.kernel.shell;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.execution.LocalExecutionControl;

/**
 * JShell's in-process engine, plus access to the live objects that snippets produce.
 *
 * <p>We run snippets in the kernel's own JVM ({@link LocalExecutionControl}) for three reasons:
 * results stay live objects that displayers can render, statics such as the notebook's display
 * hooks are shared with library code, and on JDK 20+ {@code JShell.stop()} really stops a
 * CPU-bound loop (JShell instruments snippet bytecode with stop checks). The parent class loader
 * is the kernel's, so library classes load once, parent-first.
 *
 * <p>JShell turns every snippet's value into a string ({@code DirectExecutionControl.valueString}:
 * all elements of an array, {@code toString()} of anything else) even when nothing is shown;
 * for {@code var gig = new byte[1 << 30]} that string never finishes. We run the snippet's
 * {@code do_it$} through {@link #runSnippet()} instead, which keeps the live value and hands
 * JShell {@code null}: the display string is built later by the displayers, only for a value the
 * cell shows.
 *
 * <p>Each run gets a fresh thread group from JShell; threads a snippet starts join it. We keep
 * weak references to these groups so that an interrupt can reach a cell's background threads
 * after the cell ended.
 */
final class SnippetExecution extends LocalExecutionControl {

    /** The snippet being run and, once it returned, its value; inherited by JShell's snippet thread. */
    private static final class Invocation {
        volatile SnippetExecution owner;
        volatile Method doIt;
        volatile Object result;
    }

    private static final InheritableThreadLocal<Invocation> CURRENT = new InheritableThreadLocal<>();
    private static final String CANCEL_CLASS = "REPL.$Cancel$";
    private static final Method RUN_SNIPPET;

    static {
        try {
            RUN_SNIPPET = SnippetExecution.class.getDeclaredMethod("runSnippet");
            // JShell calls it reflectively from its own module
            RUN_SNIPPET.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<String> invokedClasses = new ArrayList<>();
    private volatile boolean lastReturned;
    private final List<WeakReference<ThreadGroup>> snippetThreadGroups = new ArrayList<>();
    private volatile Object lastResult;
    private volatile Runnable onOutOfMemory = () -> {};
    private volatile boolean stopPending;
    private volatile boolean deferring;

    SnippetExecution(ClassLoader parent) {
        super(parent);
    }

    /**
     * Loads the snippet's classes as JShell does and, once {@code %spark} named a notebook class directory,
     * also writes their bytes there: Spark's driver serves that directory ({@code spark.repl.class.outputDir})
     * and the executors of a {@code spark://} cluster load notebook classes from it.
     */
    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(classes);
        NotebookClasses.write(classes);
    }

    @Override
    public String invoke(String className, String methodName)
            throws RunException, InternalException, EngineTerminationException {
        synchronized (invokedClasses) {
            invokedClasses.add(className);
        }
        return super.invoke(className, methodName);
    }

    @Override
    protected String invoke(Method doItMethod) throws Exception {
        if (deferring) {
            return "";
        }
        lastResult = null;
        lastReturned = false;
        if (stopPending) {
            // the interrupt came while the snippet compiled, when JShell's stop does nothing
            throw new StoppedException();
        }
        Invocation invocation = new Invocation();
        invocation.owner = this;
        invocation.doIt = doItMethod;
        CURRENT.set(invocation);
        try {
            super.invoke(RUN_SNIPPET);
            lastResult = invocation.result;
            lastReturned = true;
            // JShell keeps this string as the snippet's value; nothing of ours reads it
            return "";
        } finally {
            CURRENT.remove();
            // threads the snippet started inherited the invocation: let it hold nothing
            invocation.owner = null;
            invocation.doIt = null;
            invocation.result = null;
        }
    }

    /**
     * Runs on JShell's snippet thread in place of the snippet's {@code do_it$}: keeps its value and
     * lets exceptions through unwrapped, so JShell reports them (and its stop) as before. An
     * {@link OutOfMemoryError} first gives back the {@link HeapReserve}, so the kernel's threads can
     * report it, and the running cell's variables are cleared at once (not after JShell has built
     * its report while the heap was still full).
     */
    @SuppressWarnings("unused")
    private static Object runSnippet() throws Throwable {
        Invocation invocation = CURRENT.get();
        invocation.owner.remember(Thread.currentThread().getThreadGroup());
        // libraries that look classes up by name (Cluster.spark finding a module %spark added) see the cell's class path
        Thread.currentThread().setContextClassLoader(invocation.doIt.getDeclaringClass().getClassLoader());
        try {
            invocation.result = invocation.doIt.invoke(null);
            return null;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof OutOfMemoryError) {
                invocation.owner.outOfMemory();
            }
            throw e.getCause();
        } catch (OutOfMemoryError e) {
            invocation.owner.outOfMemory();
            throw e;
        }
    }

    /** First aid, on the snippet's thread, before anything else allocates: the reserve, then the cell's own data. */
    private void outOfMemory() {
        HeapReserve.release();
        onOutOfMemory.run();
    }

    /** What to let go of when a snippet runs out of memory: the running cell's variables. */
    void onOutOfMemory(Runnable action) {
        onOutOfMemory = action == null ? () -> {} : action;
    }

    private void remember(ThreadGroup group) {
        synchronized (snippetThreadGroups) {
            // a group with no live thread may yet see one start (a thread made in one snippet, started
            // in the next): only the collector knows when a group is done
            snippetThreadGroups.removeIf(ref -> ref.get() == null);
            snippetThreadGroups.add(new WeakReference<>(group));
        }
    }

    /**
     * While on, snippets are compiled and their classes loaded but not run ({@link CellCheck}'s dry
     * run): JShell takes each as having run, with no value.
     */
    void deferExecution(boolean on) {
        deferring = on;
    }

    /** Copies static field {@code name} of one wrapper class into another: a variable given back its value. */
    void copyField(String fromClass, String toClass, String name) {
        try {
            Field from = findClass(fromClass).getDeclaredField(name);
            Field to = findClass(toClass).getDeclaredField(name);
            from.setAccessible(true);
            to.setAccessible(true);
            to.set(null, from.get(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // a type the value no longer fits: the variable keeps its default
        }
    }

    /** Snippets about to run are not started until {@link #clearStop()}; JShell stops the running one. */
    void requestStop() {
        stopPending = true;
    }

    void clearStop() {
        stopPending = false;
    }

    /**
     * Whether the most recent snippet returned normally: not stopped by JShell, no exception. After an
     * interrupt this tells a statement that handled it (a library call returning what it has) from
     * one that was stopped.
     */
    boolean lastReturned() {
        return lastReturned;
    }

    /** The value of the most recent snippet run ({@code null} for a statement), and forgets it. */
    Object takeLastResult() {
        Object result = lastResult;
        lastResult = null;
        return result;
    }

    /** The wrapper classes run since the last call, in order. */
    List<String> takeInvokedClasses() {
        synchronized (invokedClasses) {
            List<String> taken = List.copyOf(invokedClasses);
            invokedClasses.clear();
            return taken;
        }
    }

    /** Whether wrapper class {@code className} declares a field {@code name}: the home of a variable. */
    boolean declaresField(String className, String name) {
        try {
            findClass(className).getDeclaredField(name);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /**
     * Lets go of what a dropped or replaced variable held: JShell keeps every wrapper class, and
     * with it each old value, for as long as the session lives.
     */
    void clearField(String className, String name) {
        try {
            Field field = findClass(className).getDeclaredField(name);
            if (!field.getType().isPrimitive() && Modifier.isStatic(field.getModifiers())
                    && !Modifier.isFinal(field.getModifiers())) {
                field.setAccessible(true);
                field.set(null, null);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // nothing to clear
        }
    }

    /** Threads that snippets started and that are still alive, other than {@code except}. */
    List<Thread> backgroundThreads() {
        List<Thread> threads = new ArrayList<>();
        synchronized (snippetThreadGroups) {
            snippetThreadGroups.removeIf(ref -> ref.get() == null);
            for (WeakReference<ThreadGroup> ref : snippetThreadGroups) {
                ThreadGroup group = ref.get();
                if (group == null) {
                    continue;
                }
                Thread[] found = new Thread[group.activeCount() + 8];
                int n = group.enumerate(found);
                for (int i = 0; i < n; i++) {
                    threads.add(found[i]);
                }
            }
        }
        return threads;
    }

    /**
     * Stops the threads that snippets started: interrupts them and raises JShell's stop flag, so
     * that snippet code in a busy loop ends at its next stop check (JShell lowers the flag when
     * the next snippet starts). Returns how many threads were asked to stop.
     */
    int stopBackgroundThreads() {
        List<Thread> threads = backgroundThreads();
        if (threads.isEmpty()) {
            return 0;
        }
        try {
            findClass(CANCEL_CLASS).getField("allStop").setBoolean(null, true);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // no snippet has run yet: no stop flag to raise
        }
        threads.forEach(Thread::interrupt);
        return threads.size();
    }
}
