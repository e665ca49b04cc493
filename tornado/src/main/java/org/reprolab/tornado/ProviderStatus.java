package org.reprolab.tornado;

/**
 * What happened when a provider was asked for its device: either {@code device} is set, or
 * {@code failure} says why not (a class that did not load, a missing OpenCL platform, ...).
 */
public record ProviderStatus(String name, Device device, String failure) {

    public boolean loaded() {
        return device != null;
    }

    @Override
    public String toString() {
        return name + ": " + (loaded() ? "loaded - " + device.describe() : "failed: " + failure);
    }
}
