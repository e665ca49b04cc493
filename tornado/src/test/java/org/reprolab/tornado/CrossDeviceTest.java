package org.reprolab.tornado;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.random.RngKey;

/** jvm and opencl give the same numbers: bit-equal uniforms, float-tolerance elsewhere. */
class CrossDeviceTest {

    @Test
    void sameResultsOnJvmAndOpenCl() {
        Device cl = OpenClDeviceTest.openCl(), jvm = Devices.get("jvm");
        int n = 4099;
        float[] x = DeviceContract.data(21, n, -3, 3), y = DeviceContract.data(22, n, -2, 2), z = DeviceContract.data(23, n, -1, 1);
        double[] params = {0.5, 0.125};
        int outs = DeviceContract.ALL_OPS.outputs().size();
        float[][] got = new float[2][];
        List<float[]> per = new ArrayList<>();
        for (Device d : List.of(jvm, cl)) {
            List<Buffer> ins = List.of(d.upload(ElementType.F32, x), d.upload(ElementType.F32, y), d.upload(ElementType.F32, z));
            List<Buffer> res = new ArrayList<>();
            for (int k = 0; k < outs; k++) res.add(d.allocate(ElementType.F32, n));
            d.run(DeviceContract.ALL_OPS, n, ins, res, params);
            float[] all = new float[outs * n];
            for (int k = 0; k < outs; k++) res.get(k).read(0, all, k * n, n);
            per.add(all);
        }
        got[0] = per.get(0);
        got[1] = per.get(1);
        for (int i = 0; i < got[0].length; i++)
            DeviceContract.close(got[0][i], got[1][i], 1e-5, 1e-6, "output " + (i / n) + " element " + (i % n));

        RngKey key = RngKey.of(99);
        for (ElementType dt : ElementType.values()) {
            Buffer a = jvm.allocate(dt, 777), b = cl.allocate(dt, 777);
            jvm.random(Distribution.UNIFORM, key, 3, a, 0, 777);
            cl.random(Distribution.UNIFORM, key, 3, b, 0, 777);
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0.0, "uniform " + dt + " must be bit-equal");
        }

        Buffer mj = jvm.upload(ElementType.F32, x), mc = cl.upload(ElementType.F32, x);
        Buffer oj = jvm.allocate(ElementType.F32, 64 * 64), oc = cl.allocate(ElementType.F32, 64 * 64);
        jvm.matmul(mj, mj, oj, 1, 64, 64, 64);
        cl.matmul(mc, mc, oc, 1, 64, 64, 64);
        float[] pj = oj.toFloatArray(), pc = oc.toFloatArray();
        for (int i = 0; i < pj.length; i++) DeviceContract.close(pj[i], pc[i], 1e-5, 1e-4, "matmul " + i);
        assertEquals(jvm.reduceToHost(ReduceOp.SUM, mj, 0, n), cl.reduceToHost(ReduceOp.SUM, mc, 0, n), 1e-4);
    }
}
