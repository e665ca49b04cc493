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

    /**
     * A program on the jvm device opens no other provider: in a fresh JVM (this one's registry has seen
     * every test), asking for jvm and computing on it leaves opencl unopened, so PoCL is never loaded;
     * listing the providers then opens the rest.
     */
    @Test
    void aJvmOnlyProgramOpensNoOtherProvider() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", cp, JvmOnly.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        java.util.List<String> lines = out.strip().lines().filter(l -> l.startsWith("opened ")).toList();
        assertEquals("opened [jvm]", lines.get(0), out);
        assertTrue(lines.get(1).contains("jvm") && lines.get(1).contains("opencl"), out);
    }

    /** The forked side of {@link #aJvmOnlyProgramOpensNoOtherProvider}. */
    static final class JvmOnly {
        public static void main(String[] args) {
            Device jvm = Devices.get("jvm");
            Buffer b = jvm.allocate(ElementType.F32, 8);
            if (b.length() != 8) throw new AssertionError("allocated " + b.length());
            System.out.println("opened " + Devices.opened());
            Devices.report();
            System.out.println("opened " + Devices.opened());
        }
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
