package org.reprolab.ode;

/** One located event: which event (index into the options' list), the time and the state there. */
public record EventHit(int index, String name, double t, double[] y) {}
