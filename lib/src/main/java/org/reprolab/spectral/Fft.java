package org.reprolab.spectral;

/**
 * The complex discrete Fourier transform X_k = Σ_j x_j e^{∓2πi jk/n}, unnormalised, in place:
 * iterative radix-2 Cooley–Tukey for powers of two and Bluestein's chirp-z for every other length
 * (a circular convolution of power-of-two length ≥ 2n − 1), so any n costs O(n log n).
 */
final class Fft {
    private Fft() {}

    /** Transforms (re, im) in place; {@code inverse} flips the exponent's sign to + (no 1/n factor). */
    static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (im.length != n) {
            throw new IllegalArgumentException("Fft: real and imaginary parts differ in length: " + n + " vs " + im.length);
        }
        if (n <= 1) {
            return;
        }
        if (Integer.bitCount(n) == 1) {
            radix2(re, im, inverse);
        } else {
            bluestein(re, im, inverse);
        }
    }

    private static void radix2(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {   // bit-reversal permutation
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            for (int k = 0; k < half; k++) {
                double angle = sign * 2 * Math.PI * k / len, wr = Math.cos(angle), wi = Math.sin(angle);
                for (int s = 0; s < n; s += len) {
                    int a = s + k, b = a + half;
                    double tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr; im[b] = im[a] - ti;
                    re[a] += tr; im[a] += ti;
                }
            }
        }
    }

    /** x_k e^{∓πik²/n} convolved with the chirp e^{±πik²/n}, then multiplied by the chirp again. */
    private static void bluestein(double[] re, double[] im, boolean inverse) {
        int n = re.length, m = Integer.highestOneBit(2 * n - 1) << 1;
        double sign = inverse ? 1 : -1;
        double[] cr = new double[n], ci = new double[n];
        for (int k = 0; k < n; k++) {
            double angle = sign * Math.PI * ((long) k * k % (2L * n)) / n;   // k² mod 2n keeps the angle accurate
            cr[k] = Math.cos(angle); ci[k] = Math.sin(angle);
        }
        double[] ar = new double[m], ai = new double[m], br = new double[m], bi = new double[m];
        for (int k = 0; k < n; k++) {
            ar[k] = re[k] * cr[k] - im[k] * ci[k];
            ai[k] = re[k] * ci[k] + im[k] * cr[k];
        }
        br[0] = cr[0]; bi[0] = -ci[0];
        for (int k = 1; k < n; k++) {
            br[k] = br[m - k] = cr[k];
            bi[k] = bi[m - k] = -ci[k];
        }
        radix2(ar, ai, false);
        radix2(br, bi, false);
        for (int k = 0; k < m; k++) {
            double r = ar[k] * br[k] - ai[k] * bi[k];
            ai[k] = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r;
        }
        radix2(ar, ai, true);
        for (int k = 0; k < n; k++) {
            double r = ar[k] / m, i = ai[k] / m;
            re[k] = r * cr[k] - i * ci[k];
            im[k] = r * ci[k] + i * cr[k];
        }
    }
}
