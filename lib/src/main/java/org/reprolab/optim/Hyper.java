package org.reprolab.optim;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Re-parameterising transformations by name: hyper-parameters are the record components of each
 * transformation, so {@code with("weight_decay", 0.0)} rebuilds every record that has a component
 * {@code weightDecay} through its canonical constructor (which validates the value).
 */
final class Hyper {
    private Hyper() {}

    static String norm(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    static Set<String> names(Transform t) {
        Set<String> out = new TreeSet<>();
        collect(t, out);
        return out;
    }

    private static void collect(Transform t, Set<String> out) {
        if (t instanceof Chain c) {
            c.parts().forEach(p -> collect(p, out));
        } else if (t.getClass().isRecord()) {
            for (RecordComponent rc : t.getClass().getRecordComponents()) out.add(rc.getName());
        }
    }

    static Transform with(Transform t, String name, Object value) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("with: hyper-parameter name is empty");
        boolean[] hit = new boolean[1];
        Transform r = rebuild(t, norm(name), value, hit);
        if (!hit[0])
            throw new IllegalArgumentException("no hyper-parameter '" + name + "' in " + describe(t) + "; known: " + names(t));
        return r;
    }

    private static String describe(Transform t) {
        return t instanceof Chain c
                ? c.flatten().stream().map(Elementwise::name).toList().toString()
                : ((Elementwise) t).name();
    }

    private static Transform rebuild(Transform t, String key, Object value, boolean[] hit) {
        if (t instanceof Chain c) {
            List<Transform> parts = new ArrayList<>();
            for (Transform p : c.parts()) parts.add(rebuild(p, key, value, hit));
            return new Chain(parts);
        }
        Class<?> cls = t.getClass();
        if (!cls.isRecord()) return t;
        RecordComponent[] rcs = cls.getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        boolean mine = false;
        try {
            for (int i = 0; i < rcs.length; i++) {
                types[i] = rcs[i].getType();
                if (norm(rcs[i].getName()).equals(key)) {
                    args[i] = convert(((Elementwise) t).name(), rcs[i].getName(), types[i], value);
                    mine = true;
                } else {
                    rcs[i].getAccessor().setAccessible(true);
                    args[i] = rcs[i].getAccessor().invoke(t);
                }
            }
            if (!mine) return t;
            hit[0] = true;
            Constructor<?> ctor = cls.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return (Transform) ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + cls.getSimpleName() + ": " + e, e);
        }
    }

    private static Object convert(String owner, String name, Class<?> type, Object v) {
        String bad = owner + ": " + name + " must be a " + type.getSimpleName() + ", got " + v
                + (v == null ? "" : " (" + v.getClass().getSimpleName() + ")");
        if (type == double.class) {
            if (v instanceof Number n) return n.doubleValue();
        } else if (type == int.class) {
            if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                long l = ((Number) v).longValue();
                if (l == (int) l) return (int) l;
            }
        } else if (type == long.class) {
            if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        } else if (type == boolean.class) {
            if (v instanceof Boolean b) return b;
        } else if (v != null && type.isInstance(v)) {
            return v;
        }
        throw new IllegalArgumentException(bad);
    }
}
