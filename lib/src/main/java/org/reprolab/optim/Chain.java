package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A sequence of transformations applied in order (Optax {@code chain}). */
public record Chain(List<Transform> parts) implements Transform {

    public Chain {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) throw new IllegalArgumentException("chain: needs at least one transformation");
    }

    @Override
    public List<Elementwise> flatten() {
        List<Elementwise> out = new ArrayList<>();
        for (Transform t : parts) out.addAll(t.flatten());
        return List.copyOf(out);
    }

    @Override
    public Chain with(String name, Object value) {
        return (Chain) Hyper.with(this, name, value);
    }

    @Override
    public String toString() {
        return parts.stream().map(Object::toString).collect(Collectors.joining(", ", "chain(", ")"));
    }
}
