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
 * Hyper-parameters are the record components of each transformation, declared once: their ranges
 * as {@link Range} annotations, checked by {@link #check} from the compact constructor; their values
 * read by name into kernel scalars ({@link #value}, behind {@link Pass#hyper}); and re-parameterising
 * by name, so {@code with("weight_decay", 0.0)} rebuilds every record that has a component
 * {@code weightDecay} through its canonical constructor (which validates the value).
 */
final class Hyper {
    private Hyper() {}

    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            RecordComponent[] rcs = type.getRecordComponents();
            if (rcs == null) throw new IllegalArgumentException(type.getSimpleName() + " is not a record");
            for (RecordComponent rc : rcs) rc.getAccessor().setAccessible(true);
            return rcs;
        }
    };

    /**
     * Checks the canonical constructor's arguments {@code values} (all components, in order) of record
     * {@code type} against their {@link Range} annotations; reference-typed components must not be
     * null. Messages name {@code owner} and the component in snake_case, as torch spells it.
     */
    static void check(String owner, Class<? extends Record> type, Object... values) {
        RecordComponent[] rcs = COMPONENTS.get(type);
        if (values.length != rcs.length)
            throw new IllegalStateException(type.getSimpleName() + ": Hyper.check got " + values.length + " values for "
                    + rcs.length + " components");
        for (int i = 0; i < rcs.length; i++) {
            String name = snake(rcs[i].getName());
            if (values[i] == null) throw new IllegalArgumentException(owner + ": " + name + " is null");
            Range r = rcs[i].getAnnotation(Range.class);
            if (r != null) r.value().check(owner, name, (Number) values[i]);
        }
    }

    /** {@code hessianPower} -> {@code hessian_power}. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The value of numeric (or boolean: 1/0) component {@code component} of {@code part}, for a kernel scalar. */
    static double value(Elementwise part, String component) {
        for (RecordComponent rc : COMPONENTS.get(part.getClass()))
            if (rc.getName().equals(component)) {
                Object v;
                try {
                    v = rc.getAccessor().invoke(part);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (v instanceof Number n) return n.doubleValue();
                if (v instanceof Boolean b) return b ? 1 : 0;
                break;
            }
        throw new IllegalArgumentException(part.name() + ": no numeric hyper-parameter '" + component + "'; components: "
                + names(part));
    }

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
        RecordComponent[] rcs = COMPONENTS.get(cls);
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
