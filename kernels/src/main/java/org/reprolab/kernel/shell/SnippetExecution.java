package org.reprolab.kernel.shell;

import java.lang.reflect.Field;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;

/**
 * JShell's in-process engine, plus access to the live objects that snippets produce.
 *
 * <p>We run snippets in the kernel's own JVM ({@link LocalExecutionControl}) for three reasons:
 * results stay live objects that displayers can render, statics such as the notebook's display
 * hooks are shared with library code, and on JDK 20+ {@code JShell.stop()} really stops a
 * CPU-bound loop (JShell instruments snippet bytecode with stop checks). The parent class loader
 * is the kernel's, so library classes load once, parent-first.
 *
 * <p>JShell hands back only a value's string; to get the object we remember the wrapper class of
 * the last invocation and read the variable's static field from it.
 */
final class SnippetExecution extends LocalExecutionControl {

    private volatile String lastInvokedClass;

    SnippetExecution(ClassLoader parent) {
        super(parent);
    }

    @Override
    public String invoke(String className, String methodName)
            throws ExecutionControl.RunException, ExecutionControl.InternalException, ExecutionControl.EngineTerminationException {
        lastInvokedClass = className;
        return super.invoke(className, methodName);
    }

    /** The wrapper class of the most recent snippet run, or {@code null}. */
    String lastInvokedClass() {
        return lastInvokedClass;
    }

    void forgetLastInvocation() {
        lastInvokedClass = null;
    }

    /** The current value of variable {@code name} declared in wrapper class {@code className}. */
    Object variable(String className, String name) throws ReflectiveOperationException {
        Field field = findClass(className).getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }
}
