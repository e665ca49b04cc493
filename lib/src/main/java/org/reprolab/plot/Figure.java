package org.reprolab.plot;

import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Anything the library draws: a value that builds an XChart chart on demand. Notebook front
 * ends display it through the chart; {@link #chart()} gives the chart itself to restyle or save.
 */
public interface Figure {
    Chart<?, ?> chart();
}
