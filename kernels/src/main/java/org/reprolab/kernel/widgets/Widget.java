package org.reprolab.kernel.widgets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Jupyter widget model living in the kernel, mirrored by a model in the front end through a
 * {@code jupyter.widget} comm: {@link #set} sends an update, a move in the browser updates the state
 * here and calls the {@link #observe observers}. Build them with {@link Widgets}; a widget that is a
 * cell's value, or passed to {@code display(...)}, shows its view.
 *
 * <p>Observers and click handlers run one at a time on the kernel's widget thread, never while a cell
 * runs, so they may read and change notebook state as a cell would; what they display or print goes
 * to the output area that captures it ({@link Output#capture}), an exception they throw is shown there
 * or on the kernel's standard error, and the kernel lives on.
 */
public class Widget {

    /** A state key changed: {@code name} as the Java side names it ({@code index} of a dropdown, the value of a log slider). */
    public record Change(Widget widget, String name, Object oldValue, Object newValue) {}

    final Models.Kind kind;
    final Dialect dialect;
    final WidgetComms comms;
    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, Object> state;
    private final List<Consumer<Change>> observers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Map<String, Object>>> messageHandlers = new CopyOnWriteArrayList<>();
    /** The kernel's own observers: cheap, run at once on the thread that saw the change (no user code). */
    private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();

    Widget(WidgetComms comms, Models.Kind kind, Map<String, Object> initial) {
        this.comms = comms;
        this.kind = kind;
        this.dialect = comms == null ? Dialect.MODERN : comms.dialect();
        this.state = Models.initialState(kind, dialect, child -> new Widget(comms, child, Map.of()).reference());
        initial.forEach((key, value) -> {
            Map.Entry<String, Object> wire = toWire(key, value);
            state.put(wire.getKey(), wire.getValue());
        });
        if (comms != null) {
            comms.open(this);
        }
    }

    /** The model id (the comm id), as front ends and saved notebooks name the widget. */
    public String id() {
        return id;
    }

    /** How another widget's state refers to this one ({@code children} of a box). */
    String reference() {
        return "IPY_MODEL_" + id;
    }

    /** The state key {@code name}; see {@link Change#name()}. */
    public synchronized Object get(String name) {
        return fromWire(toWire(name, null).getKey(), state.get(toWire(name, null).getKey())).getValue();
    }

    /** The {@code value} of a slider, checkbox or (the selected label of) a dropdown. */
    public Object value() {
        if (kind == Models.Kind.DROPDOWN) {
            @SuppressWarnings("unchecked")
            List<Object> labels = (List<Object>) get("_options_labels");
            Object index = get("index");
            return index == null ? null : labels.get(((Number) index).intValue());
        }
        return get("value");
    }

    public double doubleValue() {
        return ((Number) value()).doubleValue();
    }

    public int intValue() {
        return ((Number) value()).intValue();
    }

    public boolean booleanValue() {
        return (Boolean) value();
    }

    /** Changes a state key here and in every view, and tells the observers: the Java side of a move. */
    public Widget set(String name, Object value) {
        Map.Entry<String, Object> wire = toWire(name, value);
        Object old;
        synchronized (this) {
            old = get(name);
            state.put(wire.getKey(), wire.getValue());
        }
        if (comms != null) {
            Map<String, Object> delta = new LinkedHashMap<>();
            delta.put(wire.getKey(), wire.getValue());
            comms.update(this, delta);
        }
        if (!Objects.equals(old, value)) {
            notifyObservers(new Change(this, name, old, value));
        }
        return this;
    }

    /** Sets {@code value}. */
    public Widget value(Object value) {
        return set("value", value);
    }

    /** Calls {@code observer} after every change of state, from the front end or from {@link #set}. */
    public Widget observe(Consumer<Change> observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    /** Calls {@code observer} after every change of {@code name} only. */
    public Widget observe(String name, Consumer<Change> observer) {
        Objects.requireNonNull(observer, "observer");
        return observe(change -> {
            if (change.name().equals(name)) {
                observer.accept(change);
            }
        });
    }

    /** Calls {@code watcher} at once on the thread that sees each change: for the kernel's bookkeeping, never user code. */
    void watch(Consumer<Change> watcher) {
        watchers.add(watcher);
    }

    /** Shows the widget's view below the running cell (or in the output area capturing). */
    public void display() {
        if (comms != null) {
            comms.display(this);
        }
    }

    /** Closes the comm: every view of it disappears. */
    public void close() {
        if (comms != null) {
            comms.close(this);
        }
    }

    /** The whole state, as sent in {@code comm_open}. */
    synchronized Map<String, Object> state() {
        return new LinkedHashMap<>(state);
    }

    /** A custom message from the front end ({@code {event: "click"}} of a button). */
    void onCustom(Consumer<Map<String, Object>> handler) {
        messageHandlers.add(handler);
    }

    void receivedCustom(Map<String, Object> content) {
        for (Consumer<Map<String, Object>> handler : messageHandlers) {
            handler.accept(content);
        }
    }

    /** The front end changed state keys: stored without echoing them back, then observed. */
    void receivedState(Map<String, Object> delta) {
        List<Change> changes = new ArrayList<>();
        synchronized (this) {
            delta.forEach((key, value) -> {
                Map.Entry<String, Object> java = fromWire(key, value);
                Object old = fromWire(key, state.get(key)).getValue();
                state.put(key, value);
                if (!Objects.equals(old, java.getValue())) {
                    changes.add(new Change(this, java.getKey(), old, java.getValue()));
                }
            });
        }
        changes.forEach(this::notifyObservers);
    }

    private void notifyObservers(Change change) {
        for (Consumer<Change> watcher : watchers) {
            watcher.accept(change);
        }
        for (Consumer<Change> observer : observers) {
            if (comms == null) {
                observer.accept(change);
            } else {
                comms.runCallback(() -> observer.accept(change));
            }
        }
    }

    /**
     * The Java name and value of a key as the front end holds it: ipywidgets 6 has no log slider (ours is a
     * float slider over the exponent there) and selects dropdown options by label.
     */
    private Map.Entry<String, Object> fromWire(String key, Object value) {
        if (isFloat(key) && value instanceof Number n && !(value instanceof Double)) {
            value = n.doubleValue(); // JSON writes 1.0 as 1: a float slider's value stays a double
        }
        if (dialect == Dialect.LEGACY && kind == Models.Kind.FLOAT_LOG_SLIDER && key.equals("value") && value instanceof Number n) {
            return Map.entry(key, Math.pow(10, n.doubleValue()));
        }
        if (dialect == Dialect.LEGACY && kind == Models.Kind.DROPDOWN && key.equals("value")) {
            Object labels = state.get("_options_labels");
            int index = labels instanceof List<?> list ? list.indexOf(value) : -1;
            return new java.util.AbstractMap.SimpleImmutableEntry<>("index", index < 0 ? null : index);
        }
        return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
    }

    private boolean isFloat(String key) {
        return (kind == Models.Kind.FLOAT_SLIDER || kind == Models.Kind.FLOAT_LOG_SLIDER)
                && (key.equals("value") || key.equals("min") || key.equals("max") || key.equals("step"));
    }

    private Map.Entry<String, Object> toWire(String key, Object value) {
        if (dialect == Dialect.LEGACY && kind == Models.Kind.FLOAT_LOG_SLIDER && key.equals("value") && value instanceof Number n) {
            return Map.entry(key, Math.log10(n.doubleValue()));
        }
        if (dialect == Dialect.LEGACY && kind == Models.Kind.DROPDOWN && key.equals("index")) {
            Object labels = state == null ? null : state.get("_options_labels");
            Object label = value instanceof Number n && labels instanceof List<?> list ? list.get(n.intValue()) : null;
            return new java.util.AbstractMap.SimpleImmutableEntry<>("value", label);
        }
        return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
    }

    @Override
    public String toString() {
        return kind.name + "(" + (state.containsKey("description") ? state.get("description") + ", " : "")
                + (state.containsKey("value") || kind == Models.Kind.DROPDOWN ? "value=" + value() : "id=" + id) + ")";
    }
}
