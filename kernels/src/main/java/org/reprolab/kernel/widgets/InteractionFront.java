package org.reprolab.kernel.widgets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.reprolab.kernel.Notebook;
import org.reprolab.lab.Control;
import org.reprolab.lab.Interaction;

/**
 * {@code Lab.interact} in a notebook: one widget per control above an {@link Output} that shows the
 * render function's result. A move records the values at once (on the shell thread, which stays free)
 * and schedules a render for when the controls have been still for the interaction's quiet period: a
 * dragged slider sends dozens of moves and gets one render, with the latest values; moves during a
 * render schedule one more, so the plot always ends at the handle's final position.
 */
final class InteractionFront implements Interaction.Front {

    private final WidgetComms comms;

    InteractionFront(WidgetComms comms) {
        this.comms = comms;
    }

    @Override
    public Interaction.View show(Interaction interaction) {
        Map<String, Widget> controls = new LinkedHashMap<>();
        for (Control<?> control : interaction.controls()) {
            controls.put(control.name(), widget(control));
        }
        Output output = Widgets.output();
        List<Widget> children = new ArrayList<>(controls.values());
        children.add(output);
        Widget box = Widgets.vbox(children.toArray(Widget[]::new));
        box.display();
        Renderer renderer = new Renderer(interaction, output);
        for (Control<?> control : interaction.controls()) {
            controls.get(control.name()).watch(change -> {
                if (change.name().equals("value") || change.name().equals("index")) {
                    // a dropdown reports the index; the interaction takes the option itself
                    Object raw = control instanceof Control.Choice<?> choice && change.newValue() instanceof Number index
                            ? choice.options().get(index.intValue()) : change.newValue();
                    interaction.moved(control.name(), raw);
                    renderer.request();
                }
            });
        }
        renderer.renderNow();
        return (name, value) -> {
            Widget widget = controls.get(name);
            if (widget.kind == Models.Kind.DROPDOWN) {
                Control.Choice<?> choice = (Control.Choice<?>) interaction.controls().stream()
                        .filter(c -> c.name().equals(name)).findFirst().orElseThrow();
                widget.set("index", choice.options().indexOf(value));
            } else {
                widget.set("value", value);
            }
        };
    }

    private static Widget widget(Control<?> control) {
        return switch (control) {
            case Control.IntSlider s -> Widgets.intSlider(s.name(), s.min(), s.max(), s.step(), s.initial());
            case Control.NumberSlider s -> Widgets.floatSlider(s.name(), s.min(), s.max(), s.step(), s.initial());
            case Control.LogSlider s -> Widgets.logSlider(s.name(), s.min(), s.max(), s.initial());
            case Control.Choice<?> c -> Widgets.dropdown(c.name(), c.options(), c.initial());
            case Control.Toggle t -> Widgets.checkbox(t.name(), t.initial());
        };
    }

    /** The debounced re-rendering of one interaction. */
    private final class Renderer {
        private final Interaction interaction;
        private final Output output;
        private final AtomicReference<ShellReplyEnvironment> pending = new AtomicReference<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile long deadline;

        Renderer(Interaction interaction, Output output) {
            this.interaction = interaction;
            this.output = output;
        }

        /**
         * A control moved: render once no move came for the quiet period, with the values current then.
         * Each move pushes the deadline back, so a drag renders when the hand stops, not at every step.
         */
        void request() {
            pending.set(comms.currentEnv());
            deadline = System.nanoTime() + interaction.debounce().toNanos();
            if (scheduled.compareAndSet(false, true)) {
                comms.schedule(interaction.debounce().toMillis(), this::renderWhenQuiet);
            }
        }

        private void renderWhenQuiet() {
            long wait = deadline - System.nanoTime();
            if (wait > 0) {
                comms.schedule(TimeUnit.NANOSECONDS.toMillis(wait) + 1, this::renderWhenQuiet);
                return;
            }
            scheduled.set(false);
            ShellReplyEnvironment latest = pending.getAndSet(null);
            if (latest != null) {
                comms.inScope(latest, this::renderNow);
            }
        }

        void renderNow() {
            output.capture(() -> {
                Notebook.clearOutput(true);
                Object result = interaction.render(interaction.values());
                if (result != null) {
                    Notebook.display(result);
                }
            });
        }
    }
}
