package org.reprolab.random;

/**
 * Philox-4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel Random
 * Numbers: As Easy as 1, 2, 3" (SC'11, doi:10.1145/2063384.2063405; reference code: Random123,
 * {@code include/Random123/philox.h}). Output is a pure function of (counter, key), so any element
 * of a stream can be computed independently, on any device, in any order: that is what makes a
 * notebook's random numbers the same on the JVM and on a GPU.
 *
 * <p><b>The stream of a key</b> (defined here once; the OpenCL backend implements the same mapping
 * and tests check equality). Element {@code e} (a 64-bit index) uses counter block
 * {@code b = (lo32(i), hi32(i), 0, 0)} with {@code i} given below, and the words {@code w0..w3} of
 * {@code philox(b, key)}:
 * <ul>
 *   <li>uniform f32: {@code i = e/4}, word {@code e%4}, value {@code (w >>> 8) * 2^-24} in [0,1);</li>
 *   <li>uniform f64: {@code i = e/2}, words {@code (2(e%2), 2(e%2)+1)}, 53 bits {@code ((wa>>>5)*2^26 + (wb>>>6)) * 2^-53};</li>
 *   <li>normal f32: {@code i = e/4}; pair {@code q = (e/2)%2} takes words {@code 2q, 2q+1} as
 *       {@code u1 = ((wa>>>8)+1) 2^-24} in (0,1] and {@code u2 = (wb>>>8) 2^-24}; Box–Muller
 *       {@code r = sqrt(-2 ln u1)}, element {@code e} is {@code r cos(2 pi u2)} if even else
 *       {@code r sin(2 pi u2)}, computed in double and rounded;</li>
 *   <li>normal f64: {@code i = e/2}; {@code u1} from words (0,1) plus one ulp (in (0,1]), {@code u2}
 *       from words (2,3), same Box–Muller pairing by {@code e%2}.</li>
 * </ul>
 * Uniforms are bit-identical across devices; normals agree to the accuracy of each device's
 * {@code log/cos/sin} (OpenCL allows a few ulp).
 */
public final class Philox {
    /** Multipliers and Weyl key increments from Random123 {@code philox.h}. */
    static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    static final int ROUNDS = 10;
    private static final double TWO_PI = 2 * Math.PI;
    private static final float F24 = 0x1.0p-24f;
    private static final double D53 = 0x1.0p-53;

    private Philox() {}

    /** One Philox-4x32-10 block: writes the four output words of counter {@code c} under key (k0,k1) to {@code out}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int r = 0; r < ROUNDS; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

    /** {@code block} returning a new array. */
    public static int[] block(int[] counter, int[] key) {
        int[] out = new int[4];
        block(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out);
        return out;
    }

    // ---- the stream ----------------------------------------------------------------------------------

    static float unitF32(int w) {
        return (w >>> 8) * F24;
    }

    static double unitOpenF32(int w) {
        return ((w >>> 8) + 1) * (double) F24;
    }

    static double unitF64(int wa, int wb) {
        return ((wa >>> 5) * 67108864.0 + (wb >>> 6)) * D53;
    }

    /** Fills {@code dst[off..off+count)} with f32 elements {@code start..} of {@code key}'s uniform or normal stream. */
    public static void fill(RngKey key, boolean normal, long start, float[] dst, int off, int count) {
        int[] w = new int[4];
        long cached = -1;
        for (int j = 0; j < count; j++) {
            long e = start + j;
            long blk = e >>> 2;
            if (blk != cached) {
                block((int) blk, (int) (blk >>> 32), 0, 0, key.k0(), key.k1(), w);
                cached = blk;
            }
            if (!normal) {
                dst[off + j] = unitF32(w[(int) (e & 3)]);
            } else {
                int q = (int) ((e >>> 1) & 1);
                dst[off + j] = (float) boxMuller(unitOpenF32(w[2 * q]), (w[2 * q + 1] >>> 8) * (double) F24, (e & 1) == 0);
            }
        }
    }

    /** Fills {@code dst[off..off+count)} with f64 elements {@code start..} of {@code key}'s uniform or normal stream. */
    public static void fill(RngKey key, boolean normal, long start, double[] dst, int off, int count) {
        int[] w = new int[4];
        long cached = -1;
        for (int j = 0; j < count; j++) {
            long e = start + j;
            long blk = e >>> 1;
            if (blk != cached) {
                block((int) blk, (int) (blk >>> 32), 0, 0, key.k0(), key.k1(), w);
                cached = blk;
            }
            if (!normal) {
                int q = (int) (e & 1);
                dst[off + j] = unitF64(w[2 * q], w[2 * q + 1]);
            } else {
                dst[off + j] = boxMuller(unitF64(w[0], w[1]) + D53, unitF64(w[2], w[3]), (e & 1) == 0);
            }
        }
    }

    private static double boxMuller(double u1, double u2, boolean cos) {
        double r = Math.sqrt(-2 * Math.log(u1));
        double t = TWO_PI * u2;
        return cos ? r * Math.cos(t) : r * Math.sin(t);
    }
}
