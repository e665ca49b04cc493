package org.reprolab.tornado;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @AfterEach
    void reset() {
        Devices.reset();
        System.clearProperty(Devices.PROPERTY);
    }

    @Test
    void jvmIsAlwaysThereAndTheDefault() {
        assertTrue(Devices.available().contains("jvm"));
        if (System.getenv(Devices.ENV) == null) assertEquals("jvm", Devices.current().name());
        assertTrue(Devices.current().describe().length() > 5);
    }

    @Test
    void reportListsEveryProviderWithItsOutcome() {
        String r = Devices.report();
        assertTrue(r.contains("jvm: loaded"), r);
        assertTrue(r.contains("opencl: loaded") || r.contains("opencl: failed: "), r);
        assertTrue(r.contains("current: "), r);
    }

    @Test
    void unknownDeviceListsTheAvailableOnes() {
        DeviceException e = assertThrows(DeviceException.class, () -> Devices.get("cuda9000"));
        assertTrue(e.getMessage().contains("cuda9000") && e.getMessage().contains("jvm"), e.getMessage());
    }

    @Test
    void apiCallBeatsSystemPropertyWhichBeatsDefault() {
        System.setProperty(Devices.PROPERTY, "no-such-device");
        DeviceException e = assertThrows(DeviceException.class, Devices::current);
        assertTrue(e.getMessage().contains("no-such-device"), e.getMessage());
        System.setProperty(Devices.PROPERTY, "JVM");
        assertEquals("jvm", Devices.current().name());
        Devices.use("jvm");
        System.setProperty(Devices.PROPERTY, "no-such-device");
        assertEquals("jvm", Devices.current().name());
    }

    @Test
    void buffersOfAnotherDeviceAreRefused() {
        Device jvm = Devices.get("jvm");
        Device other = Devices.providers().stream().filter(p -> p.loaded() && p.device() != jvm).map(ProviderStatus::device)
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "only one device here");
        Buffer a = jvm.allocate(ElementType.F32, 4), b = other.allocate(ElementType.F32, 4);
        DeviceException e = assertThrows(DeviceException.class, () -> jvm.copy(b, 0, a, 0, 4));
        assertTrue(e.getMessage().contains(other.name()) && e.getMessage().contains("jvm"), e.getMessage());
    }
}
