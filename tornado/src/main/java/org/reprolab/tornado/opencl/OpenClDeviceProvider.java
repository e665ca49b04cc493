package org.reprolab.tornado.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_platform_id;
import org.reprolab.tornado.Capabilities;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.DeviceProvider;

/**
 * Provides the {@code opencl} device through JOCL 2.0.6 (natives bundled in the jar). Picks the first
 * GPU of any platform, else the first device (PoCL's CPU device in CI). {@code -Dreprolab.opencl.device=TEXT}
 * (or the environment variable {@code REPROLAB_OPENCL_DEVICE}, which reaches forked test JVMs) picks
 * the first device of type {@code gpu}, {@code cpu} or {@code accelerator} when TEXT is one of those,
 * else the first whose "platform / device" name contains TEXT; no match is an error listing the devices.
 * Fails with a reason when the JOCL native library cannot load or no OpenCL platform (ICD) is installed.
 */
public final class OpenClDeviceProvider implements DeviceProvider {
    /** System property selecting an OpenCL device by a substring of "platform / device name". */
    public static final String SELECT = "reprolab.opencl.device";
    /** Environment variable read when {@link #SELECT} is not set. */
    public static final String SELECT_ENV = "REPROLAB_OPENCL_DEVICE";

    @Override
    public String name() {
        return "opencl";
    }

    /** One OpenCL device of some platform, as listed before any is opened. */
    record Candidate(cl_platform_id platform, cl_device_id device, String label, long type) {
        boolean gpu() {
            return (type & CL_DEVICE_TYPE_GPU) != 0;
        }

        /** {@code gpu}, {@code cpu}, {@code accelerator} match the type; anything else a substring of the label. */
        boolean matches(String want) {
            String w = want.strip().toLowerCase(Locale.ROOT);
            return switch (w) {
                case "gpu" -> gpu();
                case "cpu" -> (type & CL_DEVICE_TYPE_CPU) != 0;
                case "accelerator" -> (type & CL_DEVICE_TYPE_ACCELERATOR) != 0;
                default -> label.toLowerCase(Locale.ROOT).contains(w);
            };
        }

        String typeName() {
            return gpu() ? "gpu" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "cpu" : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "other";
        }
    }

    /** Every device of every platform; fails with a reason when JOCL or an ICD is missing. */
    static List<Candidate> candidates() {
        CL.setExceptionsEnabled(true);
        int[] num = new int[1];
        try {
            clGetPlatformIDs(0, null, num);
        } catch (org.jocl.CLException e) {
            throw new IllegalStateException("no OpenCL platform found (" + e.getMessage()
                    + "); install an ICD such as Debian's pocl-opencl-icd, or a GPU driver", e);
        }
        if (num[0] == 0) throw new IllegalStateException("no OpenCL platform found; install an ICD such as pocl-opencl-icd");
        cl_platform_id[] platforms = new cl_platform_id[num[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        List<Candidate> all = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            int[] nd = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
            } catch (org.jocl.CLException e) {
                continue; // a platform without devices
            }
            cl_device_id[] ds = new cl_device_id[nd[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ds.length, ds, null);
            String pname = platformString(p, CL_PLATFORM_NAME);
            for (cl_device_id d : ds) all.add(new Candidate(p, d, pname + " / " + deviceString(d, CL_DEVICE_NAME), deviceLong(d, CL_DEVICE_TYPE)));
        }
        return all;
    }

    @Override
    @SuppressWarnings("deprecation") // CL_DEVICE_HOST_UNIFIED_MEMORY: deprecated in 2.0, still the portable query
    public Device open() throws Exception {
        List<Candidate> all = candidates();
        if (all.isEmpty()) throw new IllegalStateException("OpenCL platforms found but no devices");
        String want = System.getProperty(SELECT, System.getenv(SELECT_ENV));
        Candidate pick;
        if (want != null && !want.isBlank()) {
            pick = all.stream().filter(c -> c.matches(want)).findFirst().orElseThrow(() -> new IllegalStateException(SELECT + " (or "
                    + SELECT_ENV + ")=" + want + " matches no OpenCL device; found " + all.stream().map(Candidate::label).toList()));
        } else {
            pick = all.stream().filter(Candidate::gpu).findFirst().orElse(all.get(0));
        }
        cl_device_id d = pick.device();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, pick.platform());
        cl_context ctx = clCreateContext(props, 1, new cl_device_id[] {d}, null, null, null);
        @SuppressWarnings("deprecation")
        cl_command_queue q = clCreateCommandQueue(ctx, d, 0, null);
        String ext = deviceString(d, CL_DEVICE_EXTENSIONS);
        boolean fp64 = ext.contains("cl_khr_fp64");
        long maxAlloc = deviceLong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        int cus = (int) deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS);
        boolean unified = deviceInt(d, CL_DEVICE_HOST_UNIFIED_MEMORY) != 0;
        OpenClDeviceInfo info = OpenClDeviceInfo.query(d);
        String desc = "opencl: " + pick.label() + " (" + deviceString(d, CL_DEVICE_VERSION) + ", driver "
                + deviceString(d, CL_DRIVER_VERSION) + ", " + cus + " compute units, fp64 " + (fp64 ? "yes" : "no")
                + ", max alloc " + (maxAlloc >> 20) + " MiB, " + info.summary() + ")";
        return new OpenClDevice(d, ctx, q, desc, new Capabilities(fp64, maxAlloc, cus, unified), info);
    }

    static String platformString(cl_platform_id p, int param) {
        return infoString((size, value, sizeRet) -> clGetPlatformInfo(p, param, size, value, sizeRet));
    }

    static String deviceString(cl_device_id d, int param) {
        return infoString((size, value, sizeRet) -> clGetDeviceInfo(d, param, size, value, sizeRet));
    }

    static String kernelString(cl_kernel k, int param) {
        return infoString((size, value, sizeRet) -> clGetKernelInfo(k, param, size, value, sizeRet));
    }

    /** One of OpenCL's {@code clGet*Info} calls with its object and parameter fixed. */
    private interface InfoQuery {
        void get(long size, Pointer value, long[] sizeRet);
    }

    /** OpenCL's two-call string query: first the size, then the bytes. */
    private static String infoString(InfoQuery query) {
        long[] size = new long[1];
        query.get(0, null, size);
        byte[] b = new byte[(int) size[0]];
        query.get(b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0] & 0xFFFFFFFFL;
    }

    static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
