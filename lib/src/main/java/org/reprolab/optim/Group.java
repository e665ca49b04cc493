package org.reprolab.optim;

import java.util.List;

/** One parameter group: its name, the chain it runs, that chain's compiled plan, its tensors in parameter order. */
record Group(String name, Transform chain, Plan plan, List<TensorState> tensors) {

    Group(String name, Transform chain) {
        this(name, chain, new Plan(chain), new java.util.ArrayList<>());
    }
}
