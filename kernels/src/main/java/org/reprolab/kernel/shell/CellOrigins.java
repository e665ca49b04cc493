package org.reprolab.kernel.shell;

import java.util.LinkedHashMap;
import java.util.Map;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;

/**
 * Where each snippet came from, so that a stack frame JShell names {@code (#27:1)} (snippet 27,
 * line 1 of it) reads {@code cell [3], line 2}: the execution count the notebook shows and the
 * line within that cell.
 *
 * <p>Bounded: the oldest entries go first once {@link #LIMIT} snippets are remembered, so a
 * long session does not grow without end; a frame of a forgotten snippet keeps JShell's name.
 */
final class CellOrigins {

    /** A snippet's cell, the cell line its first line is on, and, for a method, its signature. */
    record Origin(int cell, int firstLine, String method) {}

    static final int LIMIT = 20_000;

    private final Map<String, Origin> byId = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Origin> eldest) {
            return size() > LIMIT;
        }
    };

    synchronized void record(Snippet snippet, int cell, int firstLine) {
        String method = snippet instanceof MethodSnippet m ? m.name() + "(" + m.parameterTypes() + ")" : null;
        byId.put(snippet.id(), new Origin(cell, firstLine, method));
    }

    /** {@code to} stands for {@code from} now (a declaration given back after a dry run): same origin. */
    synchronized void copy(Snippet from, Snippet to) {
        Origin origin = byId.get(from.id());
        if (origin != null) {
            byId.put(to.id(), origin);
        }
    }

    /** {@code boom (cell [3], line 2)}, {@code cell [3], line 1} for top-level code, or the frame as Java prints it. */
    synchronized String describe(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) {
            return frame.toString();
        }
        boolean topLevel = frame.getMethodName().isEmpty() || frame.getMethodName().equals("do_it$");
        Origin origin = byId.get(file.substring(1));
        String where = origin == null
                ? file + ":" + frame.getLineNumber()
                : where(origin.cell(), origin.firstLine() + Math.max(1, frame.getLineNumber()) - 1);
        return topLevel ? where : frame.getMethodName() + " (" + where + ")";
    }

    /** {@code depth(int)} for a snippet method, else the frame's method name. */
    synchronized String method(StackTraceElement frame) {
        String file = frame.getFileName();
        Origin origin = file != null && file.startsWith("#") ? byId.get(file.substring(1)) : null;
        if (origin != null && origin.method() != null && origin.method().startsWith(frame.getMethodName() + "(")) {
            return origin.method();
        }
        String cls = frame.getClassName();
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return (simple.isEmpty() || simple.startsWith("$JShell$") ? "" : simple + ".") + frame.getMethodName();
    }

    /** A snippet's location in the user's terms: {@code cell [3], line 2}. */
    static String where(int cell, int line) {
        return "cell [" + cell + "], line " + line;
    }
}
