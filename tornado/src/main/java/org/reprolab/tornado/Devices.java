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
 * The device registry: discovers {@link DeviceProvider}s with {@link ServiceLoader}, opens each once,
 * remembers why one failed, and holds the current device.
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

    private static Map<String, ProviderStatus> statuses;
    private static volatile Device chosen;

    private Devices() {}

    /** Every provider found, opened, with its outcome; in discovery order. */
    public static synchronized List<ProviderStatus> providers() {
        return List.copyOf(discover().values());
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
            s = discover().get(key);
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

    private static Map<String, ProviderStatus> discover() {
        if (statuses != null) return statuses;
        Map<String, ProviderStatus> found = new LinkedHashMap<>();
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
            if (found.containsKey(name)) continue;
            found.put(name, open(name, p));
        }
        for (int i = 0; i < broken.size(); i++)
            found.put("provider#" + i, new ProviderStatus("provider#" + i, null, broken.get(i)));
        statuses = found;
        return found;
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
