package org.reprolab.lab;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * Hyper-parameters of methods that are records (samplers, guiders, losses): a sweep sets a record component by
 * name through the canonical constructor, so the record's own checks run; a name shows the components that
 * differ from a reference value ({@code DDIM(eta=1)}).
 */
final class RecordParameters {
    private RecordParameters() {}

    /** {@code method} with component {@code name} set to {@code value} (numbers converted to the component's type). */
    static <T> T with(T method, String name, Object value) {
        if (!(method instanceof Record r)) throw new IllegalArgumentException(method + " has no hyper-parameters");
        RecordComponent[] parts = r.getClass().getRecordComponents();
        Object[] args = new Object[parts.length];
        boolean found = false;
        try {
            for (int i = 0; i < parts.length; i++) {
                args[i] = parts[i].getAccessor().invoke(r);
                if (parts[i].getName().equals(name)) {
                    args[i] = convert(value, parts[i].getType(), name);
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no hyper-parameter '" + name + "'; " + r.getClass().getSimpleName() + " has "
                        + Arrays.stream(parts).map(RecordComponent::getName).toList());
            }
            var ctor = r.getClass().getDeclaredConstructor(Arrays.stream(parts).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            @SuppressWarnings("unchecked")
            T out = (T) ctor.newInstance(args);
            return out;
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(Object v, Class<?> type, String name) {
        if (type == double.class && v instanceof Number n) return n.doubleValue();
        if (type == int.class && v instanceof Number n && n.doubleValue() == n.intValue()) return n.intValue();
        if (type == long.class && v instanceof Number n && n.doubleValue() == n.longValue()) return n.longValue();
        if (type == boolean.class && v instanceof Boolean b) return b;
        if (!type.isPrimitive() && type.isInstance(v)) return v;
        throw new IllegalArgumentException("'" + name + "' is " + type.getSimpleName() + ", got " + Format.value(v));
    }

    /** {@code base(eta=1, order=3)}: the components of {@code method} that differ from {@code reference}, leaving out {@code skip}. */
    static String differences(String base, Record method, Record reference, java.util.Set<String> skip) {
        StringJoiner j = new StringJoiner(", ", base + "(", ")").setEmptyValue(base);
        try {
            for (RecordComponent c : method.getClass().getRecordComponents()) {
                if (skip.contains(c.getName())) continue;
                Object a = c.getAccessor().invoke(method), b = reference == null ? null : c.getAccessor().invoke(reference);
                if (!java.util.Objects.equals(a, b)) j.add(c.getName() + "=" + Format.value(a));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return j.toString();
    }
}
