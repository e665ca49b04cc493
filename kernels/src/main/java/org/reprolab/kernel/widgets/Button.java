package org.reprolab.kernel.widgets;

import java.util.Map;
import java.util.Objects;

/** A button: {@link #onClick} handlers run on the widget thread each time it is clicked. */
public final class Button extends Widget {

    Button(WidgetComms comms, String description) {
        super(comms, Models.Kind.BUTTON, Map.of("description", description));
    }

    /** Calls {@code handler} after each click in a front end (or {@link #click} from code). */
    public Button onClick(Runnable handler) {
        Objects.requireNonNull(handler, "handler");
        onCustom(content -> {
            if ("click".equals(content.get("event"))) {
                if (comms == null) {
                    handler.run();
                } else {
                    comms.runCallback(handler);
                }
            }
        });
        return this;
    }

    /** Clicks the button from code, as the front end would. */
    public void click() {
        receivedCustom(Map.of("event", "click"));
    }
}
