package org.reprolab.tornado.jvm;

import org.reprolab.tornado.Device;
import org.reprolab.tornado.DeviceProvider;

/** Provides the {@code jvm} device (registered in {@code META-INF/services}). */
public final class JvmDeviceProvider implements DeviceProvider {
    /** System property for the jvm device's thread count. */
    public static final String THREADS = "reprolab.jvm.threads";

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public Device open() {
        int threads = Integer.getInteger(THREADS, Runtime.getRuntime().availableProcessors());
        if (threads < 1) throw new IllegalArgumentException(THREADS + " must be >= 1, got " + threads);
        return new JvmDevice(threads);
    }
}
