package org.reprolab.tornado;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/** The device contract on the opencl device; skipped, with the provider's reason, where no OpenCL platform exists. */
class OpenClDeviceTest extends DeviceContract {
    static Device openCl() {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElseThrow();
        assumeTrue(s.loaded(), () -> "no OpenCL device here: " + s.failure());
        return s.device();
    }

    @BeforeAll
    static void needsOpenCl() {
        openCl();
    }

    @Override
    protected Device device() {
        return openCl();
    }
}
