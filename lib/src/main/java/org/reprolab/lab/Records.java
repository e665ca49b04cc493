package org.reprolab.lab;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** A record with one component replaced, by name: how {@code sweep} re-parameterises a method that is a plain record. */
final class Records {
    private Records() {}

    static <R> R with(R record, String name, Object value) {
        Class<?> type = record.getClass();
        if (!type.isRecord()) throw new IllegalArgumentException(type.getSimpleName() + " is not a record; sweeps cannot set '" + name + "'");
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                if (c.getName().equals(name)) {
                    args[i] = convert(c.getType(), value, name);
                    found = true;
                } else {
                    args[i] = c.getAccessor().invoke(record);
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no hyper-parameter '" + name + "'; known: "
                        + Arrays.stream(components).map(RecordComponent::getName).toList());
            }
            var ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            @SuppressWarnings("unchecked")
            R copy = (R) ctor.newInstance(args);
            return copy;
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot rebuild " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static Object convert(Class<?> type, Object value, String name) {
        if (type == double.class || type == Double.class) {
            if (value instanceof Number n) return n.doubleValue();
        } else if (type == int.class || type == Integer.class) {
            if (value instanceof Number n && n.doubleValue() == n.intValue()) return n.intValue();
        } else if (type == long.class || type == Long.class) {
            if (value instanceof Number n && n.doubleValue() == n.longValue()) return n.longValue();
        } else if (type.isInstance(value)) {
            return value;
        }
        throw new IllegalArgumentException(name + " takes " + type.getSimpleName() + ", got " + value + " (" + value.getClass().getSimpleName() + ")");
    }
}
