package io.github.superresolve.image;

/** Interpolation kernels for separable resampling, as in Pillow and MATLAB's {@code imresize}. */
public enum Kernel {
    /** Keys' cubic convolution with a = -0.5 (Pillow BICUBIC, MATLAB 'bicubic'). */
    BICUBIC(2) {
        @Override
        public double weight(double x) {
            final double a = -0.5;
            x = Math.abs(x);
            if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
            if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
            return 0;
        }
    },
    /** Lanczos windowed sinc with 3 lobes (Pillow LANCZOS). */
    LANCZOS3(3) {
        @Override
        public double weight(double x) {
            if (x == 0) return 1;
            if (x <= -3 || x >= 3) return 0;
            double px = Math.PI * x;
            return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
        }
    };

    private final double support;

    Kernel(double support) {
        this.support = support;
    }

    /** Half-width of the kernel at scale 1. */
    public double support() {
        return support;
    }

    /** Kernel value at distance x (in source pixels at scale 1). */
    public abstract double weight(double x);
}
