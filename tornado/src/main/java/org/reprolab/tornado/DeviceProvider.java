package org.reprolab.tornado;

/**
 * The discovery half of the device SPI, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.reprolab.tornado.DeviceProvider}). A backend whose native parts
 * are missing (no OpenCL ICD, no TornadoVM SDK) still loads as a provider; its {@link #open()}
 * throws, and {@link Devices#report()} shows the reason instead of hiding the device.
 */
public interface DeviceProvider {

    /** The device name users select it by ({@code reprolab.device=NAME}). */
    String name();

    /**
     * Opens the device. Called at most once per JVM by {@link Devices}; may be slow (loads drivers).
     *
     * @throws Exception with a human-readable message when the device cannot be used here
     */
    Device open() throws Exception;
}
