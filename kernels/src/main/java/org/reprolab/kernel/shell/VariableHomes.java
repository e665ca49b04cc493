package org.reprolab.kernel.shell;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.VarSnippet;

/**
 * Where each live variable's value is kept: the static field of the wrapper class JShell compiled
 * the variable's snippet into. JShell keeps every wrapper class, and each old value in it, for the
 * life of the session, so a replaced or dropped variable's field is cleared here; a redeclaration
 * can be given the old value (a {@link CellCheck} dry run).
 *
 * <p>Keyed by snippet identity (a redeclared variable's snippet keeps the old one's id). JShell may
 * reuse a wrapper class name for a redeclaration, so a field is cleared only when no live variable
 * still lives in it.
 */
final class VariableHomes {

    private record Home(String className, String field) {}

    private final Map<VarSnippet, Home> homes = new ConcurrentHashMap<>();

    /** Records that {@code variable} lives in whichever of {@code wrapperClasses} declares its field; returns that class. */
    String settle(VarSnippet variable, List<String> wrapperClasses, SnippetExecution execution) {
        for (String className : wrapperClasses) {
            if (execution.declaresField(className, variable.name())) {
                homes.put(variable, new Home(className, variable.name()));
                return className;
            }
        }
        return null;
    }

    /** Gives {@code to} (just compiled into one of {@code wrapperClasses}, not run) the value {@code from} holds. */
    void carry(VarSnippet from, VarSnippet to, List<String> wrapperClasses, SnippetExecution execution) {
        Home home = homes.get(from);
        String className = settle(to, wrapperClasses, execution);
        if (home != null && className != null) {
            execution.copyField(home.className(), className, to.name());
        }
    }

    /** Lets go of the value of a replaced or dropped variable. */
    void forget(VarSnippet variable, SnippetExecution execution) {
        Home home = homes.remove(variable);
        if (home != null && execution != null && !homes.containsValue(home)) {
            execution.clearField(home.className(), home.field());
        }
    }
}
