package org.reprolab.kernel.shell;

/**
 * The name a Shift-Tab or {@code ?} asks about: the identifier at the cursor, or, with the
 * cursor inside a call's parentheses, the method called; with the expression before its dot
 * ({@code Tensor} of {@code Tensor.matmul}, {@code x.grad()} of {@code x.grad().shape}) and
 * whether it follows {@code new}.
 *
 * @param qualifier the expression before the dot, or null
 * @param name the identifier
 * @param end where the identifier ends in the snippet
 * @param constructor whether {@code new} precedes it
 */
record InspectTarget(String qualifier, String name, int end, boolean constructor) {

    static InspectTarget at(String code, int cursor) {
        int at = cursor;
        if (at > 0 && code.charAt(at - 1) == '(' && !identifierAt(code, at)) {
            at--;
        }
        if (!identifierAt(code, at) && !(at > 0 && identifierAt(code, at - 1))) {
            at = openParenthesisBefore(code, at);
            if (at < 0) {
                return null;
            }
        }
        int start = at;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
            start--;
        }
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        if (start == end || !Character.isJavaIdentifierStart(code.charAt(start))) {
            return null;
        }
        String name = code.substring(start, end);
        if (start > 0 && code.charAt(start - 1) == '.') {
            String qualifier = code.substring(qualifierStart(code, start - 1), start - 1).strip();
            return qualifier.isEmpty() ? null : new InspectTarget(qualifier, name, end, false);
        }
        boolean constructor = code.substring(0, start).stripTrailing().matches("(?s).*\\bnew");
        return new InspectTarget(null, name, end, constructor);
    }

    private static boolean identifierAt(String code, int i) {
        return i >= 0 && i < code.length() && Character.isJavaIdentifierPart(code.charAt(i));
    }

    /** The position of the identifier before the innermost unclosed {@code (} before {@code at}, or -1. */
    private static int openParenthesisBefore(String code, int at) {
        int depth = 0;
        for (int i = Math.min(at, code.length()) - 1; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    int j = i;
                    while (j > 0 && Character.isWhitespace(code.charAt(j - 1))) {
                        j--;
                    }
                    return j > 0 && identifierAt(code, j - 1) ? j - 1 : -1;
                }
                depth--;
            }
        }
        return -1;
    }

    /** Where the expression ending just before {@code dot} starts: names, dots and balanced brackets. */
    private static int qualifierStart(String code, int dot) {
        int i = dot;
        while (i > 0) {
            char c = code.charAt(i - 1);
            if (Character.isJavaIdentifierPart(c) || c == '.') {
                i--;
            } else if (c == ')' || c == ']' || c == '>') {
                char open = c == ')' ? '(' : c == ']' ? '[' : '<';
                int depth = 0;
                int j = i - 1;
                for (; j >= 0; j--) {
                    char d = code.charAt(j);
                    if (d == c) {
                        depth++;
                    } else if (d == open && --depth == 0) {
                        break;
                    }
                }
                if (j < 0) {
                    break;
                }
                i = j;
            } else {
                break;
            }
        }
        return i;
    }
}
