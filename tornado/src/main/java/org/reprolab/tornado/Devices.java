package org.reprolab.tornado;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The device registry: discovers {@link DeviceProvider}s with {@link ServiceLoader}, opens each once
 * when it is first asked for, remembers why one failed, and holds the current device.
 *
 * <p>Opening is lazy because opening a device is not free: the opencl provider loads the OpenCL ICD
 * (PoCL on a CPU machine), builds a context and starts the driver's threads. A program on the jvm
 * device never pays that, nor risks a crash in a native driver it does not use;
 * {@link #providers()}, {@link #available()} and {@link #report()} open every provider, since they
 * list outcomes.
 *
 * <p>The current device is, in order: the last {@link #use(String)}, the system property
 * {@value #PROPERTY}, the environment variable {@value #ENV}, else {@code jvm} (always present). This
 * mirrors TornadoVM's {@code -Dtornado.device} flag while staying settable from a notebook cell.
 */
public final class Devices {

    /** System property naming the device to use. */
    public static final String PROPERTY = "reprolab.device";
    /** Environment variable naming the device to use (after the system property). */
    public static final String ENV = "REPROLAB_DEVICE";
    /** The device that is always available. */
    public static final String DEFAULT = "jvm";

    /** Every provider found, by name, in discovery order; each opened on first use ({@link Found#status}). */
    private static Map<String, Found> found;
    private static volatile Device chosen;

    private Devices() {}

    /** Every provider found, opened, with its outcome; in discovery order. */
    public static synchronized List<ProviderStatus> providers() {
        return discover().values().stream().map(Found::status).toList();
    }

    /** Names of the devices that opened. */
    public static List<String> available() {
        return providers().stream().filter(ProviderStatus::loaded).map(ProviderStatus::name).toList();
    }

    /** One line per provider: {@code name: loaded - description} or {@code name: failed: reason}. */
    public static String report() {
        String current;
        try {
            current = current().name();
        } catch (DeviceException e) {
            current = "none (" + e.getMessage() + ")";
        }
        return providers().stream().map(ProviderStatus::toString).collect(Collectors.joining("\n"))
                + "\ncurrent: " + current;
    }

    /**
     * The named device.
     *
     * @throws DeviceException naming the available devices when {@code name} is unknown, or giving the
     *                         provider's reason when it is known but failed to open
     */
    public static Device get(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        ProviderStatus s;
        synchronized (Devices.class) {
            Found f = discover().get(key);
            s = f == null ? null : f.status();
        }
        if (s == null)
            throw new DeviceException("unknown device '" + name + "'; available: " + available()
                    + " (providers: " + providers().stream().map(ProviderStatus::name).toList() + ")");
        if (!s.loaded())
            throw new DeviceException("device '" + key + "' is not available: " + s.failure()
                    + "; available: " + available());
        return s.device();
    }

    /** Makes {@code name} the current device for this JVM and returns it. */
    public static Device use(String name) {
        Device d = get(name);
        chosen = d;
        return d;
    }

    /** The current device (see the class comment for how it is chosen). */
    public static Device current() {
        Device d = chosen;
        if (d != null) return d;
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) return get(prop);
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return get(env);
        return get(DEFAULT);
    }

    /** Forgets {@link #use(String)}, so the property / environment / default apply again. */
    public static void reset() {
        chosen = null;
    }

    /** Names of the providers opened so far (for tests: a jvm-only program opens no other). */
    static synchronized List<String> opened() {
        return discover().values().stream().filter(f -> f.status != null).map(f -> f.name).toList();
    }

    /** A provider as {@link ServiceLoader} found it; {@link #status()} opens it the first time. */
    private static final class Found {
        final String name;
        final DeviceProvider provider;
        ProviderStatus status;

        Found(String name, DeviceProvider provider, ProviderStatus status) {
            this.name = name;
            this.provider = provider;
            this.status = status;
        }

        ProviderStatus status() { // callers hold the Devices lock
            if (status == null) status = open(name, provider);
            return status;
        }
    }

    private static Map<String, Found> discover() {
        if (found != null) return found;
        Map<String, Found> all = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        Iterator<DeviceProvider> it = ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader()).iterator();
        while (true) {
            DeviceProvider p;
            try {
                if (!it.hasNext()) break;
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // the provider class itself could not load (missing dependency): list it with the reason
                broken.add(e.getMessage());
                continue;
            }
            String name = p.name().toLowerCase(java.util.Locale.ROOT);
            all.putIfAbsent(name, new Found(name, p, null));
        }
        for (int i = 0; i < broken.size(); i++) {
            String name = "provider#" + i;
            all.put(name, new Found(name, null, new ProviderStatus(name, null, broken.get(i))));
        }
        found = all;
        return all;
    }

    private static ProviderStatus open(String name, DeviceProvider p) {
        try {
            Device d = p.open();
            if (d == null) return new ProviderStatus(name, null, "provider returned no device");
            return new ProviderStatus(name, d, null);
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new ProviderStatus(name, null, msg);
        }
    }
}
