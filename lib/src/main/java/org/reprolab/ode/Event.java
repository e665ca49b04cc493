package org.reprolab.ode;

/**
 * An event: a zero crossing of {@code g(t, y)} located on the dense output of each accepted step with
 * Brent's method (as scipy's {@code solve_ivp(events=...)}, which uses {@code brentq}). {@code direction}
 * > 0 fires only when g goes from negative to positive, < 0 only from positive to negative, 0 both ways.
 * A terminal event stops the solve at the crossing; the solution then ends there.
 *
 * <pre>{@code
 * Event ground = Event.of("ground", (t, y) -> y[0]).falling().terminating();
 * }</pre>
 */
public record Event(String name, Function g, int direction, boolean terminal) {

    /** The event function {@code g(t, y)}; it must not modify y. */
    @FunctionalInterface
    public interface Function {
        double value(double t, double[] y);
    }

    public Event {
        if (g == null) throw new IllegalArgumentException("event function is null");
        direction = Integer.signum(direction);
    }

    public static Event of(String name, Function g) {
        return new Event(name, g, 0, false);
    }

    /** This event, terminal: the solve stops at its first crossing. */
    public Event terminating() {
        return new Event(name, g, direction, true);
    }

    /** Only crossings from negative to positive. */
    public Event rising() {
        return direction(1);
    }

    /** Only crossings from positive to negative. */
    public Event falling() {
        return direction(-1);
    }

    public Event direction(int direction) {
        return new Event(name, g, direction, terminal);
    }
}
