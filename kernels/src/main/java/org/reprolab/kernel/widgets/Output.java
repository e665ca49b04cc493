package org.reprolab.kernel.widgets;

import java.util.Map;
import org.reprolab.kernel.Notebook;

/**
 * An output area inside a widget layout: what code run in {@link #capture} displays or prints (a
 * figure, a table, an error) lands here instead of below the cell. It works as ipywidgets' {@code with
 * out:} does in every front end: the kernel sets the model's {@code msg_id} to the message it is
 * answering, and the front end routes that message's outputs into the area.
 */
public final class Output extends Widget {

    Output(WidgetComms comms) {
        super(comms, Models.Kind.OUTPUT, Map.of());
    }

    /**
     * Runs {@code body} with its displays, prints and errors going to this area. An exception is shown
     * in the area (and not rethrown): an interactive plot whose render fails keeps the kernel and the
     * other controls alive.
     */
    public void capture(Runnable body) {
        if (comms == null) {
            body.run();
        } else {
            comms.capture(this, body);
        }
    }

    /** Clears the area now. */
    public void clear() {
        capture(() -> Notebook.clearOutput(false));
    }

    /** Shows {@code value} in the area, rendered as a cell result would be. */
    public void show(Object value) {
        capture(() -> Notebook.display(value));
    }

    /** Replaces what the area shows by {@code value}, without flicker (the old output stays until the new arrives). */
    public void replace(Object value) {
        capture(() -> {
            Notebook.clearOutput(true);
            Notebook.display(value);
        });
    }
}
