package org.reprolab.tensor;

/**
 * A flat buffer of elements. Tensors are strided views over a storage, so reshape/transpose/slice
 * share it. Kernels read and write through {@link #get}/{@link #set} in double precision (the
 * arithmetic type of every kernel); the hot paths (matmul) unwrap the primitive array directly.
 */
abstract sealed class Storage permits Storage.F32, Storage.F64 {

    abstract DType dtype();

    abstract int size();

    abstract double get(int i);

    abstract void set(int i, double v);

    static Storage allocate(DType t, int n) {
        return t == DType.F32 ? new F32(new float[n]) : new F64(new double[n]);
    }

    static final class F32 extends Storage {
        final float[] a;

        F32(float[] a) {
            this.a = a;
        }

        @Override
        DType dtype() {
            return DType.F32;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        double get(int i) {
            return a[i];
        }

        @Override
        void set(int i, double v) {
            a[i] = (float) v;
        }
    }

    static final class F64 extends Storage {
        final double[] a;

        F64(double[] a) {
            this.a = a;
        }

        @Override
        DType dtype() {
            return DType.F64;
        }

        @Override
        int size() {
            return a.length;
        }

        @Override
        double get(int i) {
            return a[i];
        }

        @Override
        void set(int i, double v) {
            a[i] = v;
        }
    }
}
