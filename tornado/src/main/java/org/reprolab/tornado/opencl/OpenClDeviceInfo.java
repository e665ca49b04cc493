package org.reprolab.tornado.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;

/**
 * The launch limits of one OpenCL device, queried once when it opens, from which work-group sizes
 * and GEMM tile configurations are chosen at first use instead of being fixed for one vendor.
 *
 * @param maxWorkGroupSize   {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}: work-items per group (PoCL 4096, NVIDIA 1024)
 * @param maxItemsX          {@code CL_DEVICE_MAX_WORK_ITEM_SIZES[0]}: a group's limit along dimension 0
 * @param maxItemsY          {@code CL_DEVICE_MAX_WORK_ITEM_SIZES[1]}: along dimension 1
 * @param localMemBytes      {@code CL_DEVICE_LOCAL_MEM_SIZE}: {@code __local} bytes per group
 * @param dedicatedLocalMem  {@code CL_DEVICE_LOCAL_MEM_TYPE == CL_LOCAL}: on-chip scratchpad (GPUs), not
 *                           emulated in global memory (CPU drivers such as PoCL), where local tiles only
 *                           add copies and the cache-blocked GEMM usually wins the autotune
 * @param gpu                whether {@code CL_DEVICE_TYPE} includes {@code CL_DEVICE_TYPE_GPU}
 */
record OpenClDeviceInfo(int maxWorkGroupSize, int maxItemsX, int maxItemsY, long localMemBytes, boolean dedicatedLocalMem, boolean gpu) {

    static OpenClDeviceInfo query(cl_device_id d) {
        int dims = (int) OpenClDeviceProvider.deviceInt(d, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS);
        long[] sizes = new long[dims];
        clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_ITEM_SIZES, (long) dims * Sizeof.size_t, Pointer.to(sizes), null);
        long maxWg = OpenClDeviceProvider.deviceSize(d, CL_DEVICE_MAX_WORK_GROUP_SIZE);
        long local = OpenClDeviceProvider.deviceLong(d, CL_DEVICE_LOCAL_MEM_SIZE);
        boolean dedicated = OpenClDeviceProvider.deviceInt(d, CL_DEVICE_LOCAL_MEM_TYPE) == CL_LOCAL;
        boolean gpu = (OpenClDeviceProvider.deviceLong(d, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0;
        return new OpenClDeviceInfo((int) Math.min(maxWg, 1 << 16), (int) Math.min(sizes[0], 1 << 16),
                dims < 2 ? 1 : (int) Math.min(sizes[1], 1 << 16), local, dedicated, gpu);
    }

    /** Whether a group of {@code x * y} work-items using {@code localBytes} of local memory can launch here. */
    boolean fits(int x, int y, long localBytes) {
        return (long) x * y <= maxWorkGroupSize && x <= maxItemsX && y <= maxItemsY && localBytes <= localMemBytes;
    }

    /** One line for {@code describe()}. */
    String summary() {
        return "max work-group " + maxWorkGroupSize + " (" + maxItemsX + " x " + maxItemsY + "), local memory "
                + (localMemBytes >> 10) + " KiB " + (dedicatedLocalMem ? "on chip" : "in global memory");
    }
}
