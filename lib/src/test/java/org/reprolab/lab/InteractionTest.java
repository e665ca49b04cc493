package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InteractionTest {

    @AfterEach
    void restoreTheDefaultFront() {
        Interaction.setFront(null);
    }

    /** A front end that records what it was shown and forwards code moves as a widget front end does. */
    private static List<Object> recordingFront() {
        List<Object> rendered = new ArrayList<>();
        Interaction.setFront(interaction -> {
            rendered.add(interaction.render(interaction.values()));
            return (name, value) -> rendered.add(interaction.render(interaction.moved(name, value)));
        });
        return rendered;
    }

    @Test
    void interactRendersAtTheInitialValuesAndAgainWhenAControlMoves() {
        List<Object> rendered = recordingFront();
        var lr = Control.logSlider("lr", 1e-4, 1e-1, 1e-2);
        var steps = Control.slider("steps", 10, 100, 50);
        var it = Lab.interact(v -> v.get(lr) * v.integer("steps"), lr, steps);
        assertEquals(List.of(0.5), rendered);
        it.set("steps", 20);
        assertEquals(List.of(0.5, 0.2), rendered);
        assertEquals(20, it.values().get(steps));
    }

    @Test
    void aFrontEndValueIsCheckedAndConvertedByItsControl() {
        var optimizer = Control.dropdown("optimizer", "lion", "adam", "lion");
        var it = Lab.interact(optimizer, name -> name);
        // a front end sends a dropdown's index, or its label
        assertEquals("adam", it.moved("optimizer", 0).get(optimizer));
        assertEquals("lion", it.moved("optimizer", "lion").get(optimizer));
        var wrong = assertThrows(IllegalArgumentException.class, () -> it.moved("optimizer", "sgd"));
        assertTrue(wrong.getMessage().contains("optimizer") && wrong.getMessage().contains("sgd"), wrong.getMessage());
        // sliders clamp to their range and refuse what is not a number
        var slider = Control.slider("k", 1, 10, 5);
        assertEquals(10, slider.accept(12));
        assertThrows(IllegalArgumentException.class, () -> slider.accept(2.5));
        assertEquals(1e-1, Control.logSlider("lr", 1e-4, 1e-1, 1e-2).accept(3.0));
    }

    @Test
    void badControlsAreClearErrors() {
        var range = assertThrows(IllegalArgumentException.class, () -> Control.slider("k", 1, 10, 20));
        assertTrue(range.getMessage().contains("slider k"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Control.logSlider("lr", 0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Control.dropdown("d", "x", "a", "b"));
        var twice = assertThrows(IllegalArgumentException.class,
                () -> Lab.interact(v -> 0, Control.slider("k", 1, 2, 1), Control.checkbox("k", true)));
        assertTrue(twice.getMessage().contains("two controls are named k"), twice.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Lab.interact(Control.checkbox("on", true), on -> on).set("off", true));
        assertTrue(unknown.getMessage().contains("no control named off"), unknown.getMessage());
    }
}
