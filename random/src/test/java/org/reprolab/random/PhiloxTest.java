package org.reprolab.random;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhiloxTest {

    private static int[] w(String hex) {
        String[] p = hex.trim().split("\\s+");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) r[i] = (int) Long.parseLong(p[i], 16);
        return r;
    }

    /**
     * Known-answer vectors for philox4x32_10 from Random123's {@code kat_vectors} file (as reproduced in
     * DEShawResearch/fs123 {@code core123/ut/ut_philox.cpp}): counter (4 words), key (2 words), output.
     */
    @Test
    void random123KnownAnswers() {
        String[][] kats = {
            {"00000000 00000000 00000000 00000000", "00000000 00000000", "6627e8d5 e169c58d bc57ac4c 9b00dbd8"},
            {"ffffffff ffffffff ffffffff ffffffff", "ffffffff ffffffff", "408f276d 41c83b0e a20bc7c6 6d5451fd"},
            {"243f6a88 85a308d3 13198a2e 03707344", "a4093822 299f31d0", "d16cfe09 94fdcceb 5001e420 24126ea1"},
        };
        for (String[] k : kats) assertArrayEquals(w(k[2]), Philox.block(w(k[0]), w(k[1])), String.join(" | ", k));
    }

    @Test
    void streamIsAPureFunctionOfTheIndex() {
        RngKey key = RngKey.of(123456789L);
        float[] all = new float[100];
        Philox.fill(key, false, 0, all, 0, 100);
        float[] tail = new float[50];
        Philox.fill(key, false, 37, tail, 0, 50);
        for (int i = 0; i < 50; i++) assertEquals(all[37 + i], tail[i]);
        double[] nall = new double[64], npart = new double[11];
        Philox.fill(key, true, 0, nall, 0, 64);
        Philox.fill(key, true, 13, npart, 0, 11);
        for (int i = 0; i < 11; i++) assertEquals(nall[13 + i], npart[i]);
    }

    @Test
    void uniformF32IsWordTimesTwoToMinus24() {
        RngKey key = new RngKey(0, 0);
        float[] u = new float[4];
        Philox.fill(key, false, 0, u, 0, 4);
        int[] words = w("6627e8d5 e169c58d bc57ac4c 9b00dbd8"); // counter 0, key 0
        for (int i = 0; i < 4; i++) assertEquals((words[i] >>> 8) / 16777216.0f, u[i]);
    }

    @Test
    void momentsMatchTheDistributions() {
        int n = 200_000;
        RngKey key = RngKey.of(1);
        double[] u = new double[n], z = new double[n];
        Philox.fill(key, false, 0, u, 0, n);
        Philox.fill(key.foldIn(1), true, 0, z, 0, n);
        double mu = 0, mu2 = 0, mz = 0, mz2 = 0, mz4 = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(u[i] >= 0 && u[i] < 1);
            mu += u[i];
            mu2 += u[i] * u[i];
            mz += z[i];
            mz2 += z[i] * z[i];
            mz4 += z[i] * z[i] * z[i] * z[i];
        }
        // closed forms: U(0,1) mean 1/2, E[u^2] 1/3; N(0,1) mean 0, variance 1, kurtosis 3; tolerances ~5 standard errors
        assertEquals(0.5, mu / n, 5 * Math.sqrt(1 / 12.0 / n));
        assertEquals(1 / 3.0, mu2 / n, 5 * 0.3 / Math.sqrt(n));
        assertEquals(0, mz / n, 5 / Math.sqrt(n));
        assertEquals(1, mz2 / n, 5 * Math.sqrt(2.0 / n));
        assertEquals(3, mz4 / n, 5 * Math.sqrt(96.0 / n));
    }

    @Test
    void splitAndFoldInGiveDistinctReproducibleKeys() {
        RngKey k = RngKey.of(2024);
        List<RngKey> kids = k.split(1000);
        assertEquals(kids, k.split(1000));
        Set<RngKey> seen = new HashSet<>(kids);
        seen.add(k);
        for (int i = 0; i < 1000; i++) seen.add(k.foldIn(i));
        assertEquals(2001, seen.size(), "split, foldIn and the parent must all differ");
        assertEquals(k.foldIn(5), k.foldIn(5));
        assertNotEquals(k.foldIn(5), RngKey.of(2025).foldIn(5));
        assertEquals(kids.get(1), k.split()[1]);
    }
}
