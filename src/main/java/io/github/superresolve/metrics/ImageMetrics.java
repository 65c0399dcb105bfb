package io.github.superresolve.metrics;

/**
 * Full-reference quality metrics on planes of floats: MSE, PSNR and SSIM. SSIM follows Wang et al.
 * (2004) as scikit-image computes it with {@code gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False}: an 11x11 Gaussian window (truncated at 3.5 sigma), reflected borders,
 * K1 = 0.01, K2 = 0.03, and the mean taken over the pixels at least 5 pixels from the border. The
 * data range is always given by the caller (from the image type), never assumed to be 255.
 */
public final class ImageMetrics {

    /** Smallest side SSIM accepts: its 11x11 window. */
    public static final int SSIM_MIN_SIZE = 11;

    private ImageMetrics() {
    }

    public static double mse(float[] reference, float[] test) {
        check(reference, test);
        double s = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = (double) reference[i] - test[i];
            s += d * d;
        }
        return s / reference.length;
    }

    /** PSNR in dB; {@link Double#POSITIVE_INFINITY} for identical images. */
    public static double psnr(float[] reference, float[] test, double dataRange) {
        return psnrFromMse(mse(reference, test), dataRange);
    }

    public static double psnrFromMse(double mse, double dataRange) {
        if (mse == 0) return Double.POSITIVE_INFINITY;
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    /** Mean SSIM of two {@code w x h} planes. */
    public static double ssim(float[] x, float[] y, int w, int h, double dataRange) {
        check(x, y);
        if (x.length != w * h) throw new IllegalArgumentException("Plane has " + x.length + " values, not " + w + "x" + h + ".");
        final double sigma = 1.5;
        final int radius = (int) (3.5 * sigma + 0.5);
        if (w < 2 * radius + 1 || h < 2 * radius + 1)
            throw new IllegalArgumentException("SSIM needs images of at least " + (2 * radius + 1) + "x" + (2 * radius + 1) + " pixels, not " + w + "x" + h + ".");
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        int n = w * h;
        double[] xx = new double[n], yy = new double[n], xy = new double[n], xd = new double[n], yd = new double[n];
        for (int i = 0; i < n; i++) {
            xd[i] = x[i];
            yd[i] = y[i];
            xx[i] = (double) x[i] * x[i];
            yy[i] = (double) y[i] * y[i];
            xy[i] = (double) x[i] * y[i];
        }
        double[] ux = blur(xd, w, h, k), uy = blur(yd, w, h, k);
        double[] uxx = blur(xx, w, h, k), uyy = blur(yy, w, h, k), uxy = blur(xy, w, h, k);
        double c1 = Math.pow(0.01 * dataRange, 2), c2 = Math.pow(0.03 * dataRange, 2);
        double total = 0;
        long count = 0;
        for (int yq = radius; yq < h - radius; yq++)
            for (int xq = radius; xq < w - radius; xq++) {
                int i = yq * w + xq;
                double vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], cxy = uxy[i] - ux[i] * uy[i];
                double s = (2 * ux[i] * uy[i] + c1) * (2 * cxy + c2)
                        / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
                total += s;
                count++;
            }
        return total / count;
    }

    /** Separable convolution with reflected borders (scipy's 'reflect': d c b a | a b c d). */
    private static double[] blur(double[] src, int w, int h, double[] k) {
        int r = k.length / 2;
        double[] tmp = new double[src.length], dst = new double[src.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = -r; j <= r; j++) acc += k[j + r] * src[y * w + reflect(x + j, w)];
                tmp[y * w + x] = acc;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = -r; j <= r; j++) acc += k[j + r] * tmp[reflect(y + j, h) * w + x];
                dst[y * w + x] = acc;
            }
        return dst;
    }

    private static int reflect(int i, int n) {
        while (i < 0 || i >= n) {
            if (i < 0) i = -i - 1;
            if (i >= n) i = 2 * n - i - 1;
        }
        return i;
    }

    private static void check(float[] a, float[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("Images differ in size (" + a.length + " and " + b.length + " pixels).");
        if (a.length == 0) throw new IllegalArgumentException("Images are empty.");
    }
}
