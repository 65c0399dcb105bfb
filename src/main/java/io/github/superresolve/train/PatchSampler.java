package io.github.superresolve.train;

import io.github.superresolve.image.NormalisedPlanes;
import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;

import java.util.SplittableRandom;

/**
 * Mini-batches of training pairs: random {@code patch x patch} crops of <em>distinct</em> samples
 * (when there are at least as many samples as the batch), each with a random flip / 90-degree
 * rotation, and the low-resolution input made by antialiased bicubic downsampling by the scale (or
 * cropped from the paired low-resolution image).
 *
 * <p>The batch of step {@code k} depends only on the seed and {@code k}, so a resumed run sees the
 * same batches as an uninterrupted one.
 *
 * <p>The crop is downsampled with a margin of two low-resolution pixels around it where the image
 * allows, so the input has no border effects the network would not see at inference.
 *
 * <p>With {@code skipFlat}, a crop that bicubic upsampling of its own input already reproduces to
 * {@link #FLAT_PSNR} dB (sky, out-of-focus background, empty microscopy background: nothing there for
 * the network to learn at this scale) is drawn again elsewhere in the same image, up to
 * {@link #FLAT_TRIES} draws; an image with no detailed region keeps its last draw. In the 48 training
 * photos of {@code scripts/fetch-training-data.sh}, 56% of random 96-pixel crops are that flat at x4
 * (70% at x2), against 8% (10%) of the validation photos' (docs/training.md).
 */
public final class PatchSampler {

    /** A batch in NCHW order: {@code lr} is n x C x p/s x p/s, {@code hr} is n x C x p x p. */
    public record Batch(float[] lr, float[] hr, int n, int lrSize, int hrSize) {
    }

    private final TrainingImages images;
    private final int scale, patch, batch;
    private final long seed;
    /** A crop is flat when bicubic upsampling of its input reproduces it to this PSNR (data in [0, 1]). */
    public static final double FLAT_PSNR = 40;
    /** Draws per batch slot before a flat crop is kept. */
    public static final int FLAT_TRIES = 8;
    private static final double FLAT_MSE = Math.pow(10, -FLAT_PSNR / 10);

    private final boolean augment, skipFlat;

    public PatchSampler(TrainingImages images, int scale, int patch, int batch, long seed, boolean augment) {
        this(images, scale, patch, batch, seed, augment, false);
    }

    /** {@code skipFlat}: redraw crops their bicubic input already reproduces (see the class's comment). */
    public PatchSampler(TrainingImages images, int scale, int patch, int batch, long seed, boolean augment, boolean skipFlat) {
        if (patch % scale != 0)
            throw new IllegalArgumentException("The patch size " + patch + " must be a multiple of the scale " + scale + ".");
        if (batch < 1) throw new IllegalArgumentException("The batch size must be at least 1, not " + batch + ".");
        this.images = images;
        this.scale = scale;
        this.patch = patch;
        this.batch = batch;
        this.seed = seed;
        this.augment = augment;
        this.skipFlat = skipFlat;
    }

    /** Smallest image side that yields a patch. */
    public static int minSide(int patch) {
        return patch;
    }

    /** The batch for a step (0-based). */
    public Batch batch(long step) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 1);
        int c = images.channels(), p = patch, q = patch / scale;
        float[] lr = new float[batch * c * q * q];
        float[] hr = new float[batch * c * p * p];
        int[] picks = pick(rnd, images.size(), batch);
        for (int b = 0; b < batch; b++) {
            int idx = picks[b];
            NormalisedPlanes planes = images.planes(idx);
            int w = planes.width(), h = planes.height();
            boolean paired = images.samples().get(idx).lrFile() != null;
            int transform = augment ? rnd.nextInt(8) : 0;
            float[][] hrCrops = new float[c][], lrCrops = new float[c][];
            for (int draw = 1; ; draw++) {
                if (paired) {
                    NormalisedPlanes low = images.lowResPlanes(idx);
                    int lx = rnd.nextInt(low.width() - q + 1), ly = rnd.nextInt(low.height() - q + 1);
                    for (int ch = 0; ch < c; ch++) {
                        hrCrops[ch] = crop(planes.data()[ch], w, lx * scale, ly * scale, p, p);
                        lrCrops[ch] = crop(low.data()[ch], low.width(), lx, ly, q, q);
                    }
                } else {
                    // margin of 2 low-resolution pixels where the image is large enough
                    int m = (w >= p + 4 * scale && h >= p + 4 * scale) ? 2 * scale : 0;
                    int big = p + 2 * m;
                    int x = rnd.nextInt(w - big + 1), y = rnd.nextInt(h - big + 1);
                    for (int ch = 0; ch < c; ch++) {
                        float[] region = crop(planes.data()[ch], w, x, y, big, big);
                        float[] small = Resampler.resize(region, big, big, big / scale, big / scale, Kernel.BICUBIC);
                        hrCrops[ch] = crop(region, big, m, m, p, p);
                        lrCrops[ch] = crop(small, big / scale, m / scale, m / scale, q, q);
                    }
                }
                if (!skipFlat || draw == FLAT_TRIES || !isFlat(hrCrops, lrCrops, p, scale)) break;
            }
            for (int ch = 0; ch < c; ch++) {
                put(hr, (b * c + ch) * p * p, transform(hrCrops[ch], p, transform));
                put(lr, (b * c + ch) * q * q, transform(lrCrops[ch], q, transform));
            }
        }
        return new Batch(lr, hr, batch, q, p);
    }

    /**
     * Whether bicubic upsampling of the input reproduces the crop to {@link #FLAT_PSNR} dB, all channels
     * together, leaving out {@code 2 * scale} pixels at each edge (where the upsampling lacks neighbours).
     */
    static boolean isFlat(float[][] hrCrops, float[][] lrCrops, int p, int scale) {
        int q = p / scale, e = Math.min(2 * scale, p / 4);
        double sum = 0;
        long n = 0;
        for (int ch = 0; ch < hrCrops.length; ch++) {
            float[] up = Resampler.resize(lrCrops[ch], q, q, p, p, Kernel.BICUBIC);
            float[] truth = hrCrops[ch];
            for (int y = e; y < p - e; y++)
                for (int x = e; x < p - e; x++) {
                    double d = up[y * p + x] - truth[y * p + x];
                    sum += d * d;
                    n++;
                }
        }
        return sum / n < FLAT_MSE; // NaN pixels count as detail, never as flat
    }

    /** {@code k} indices of {@code 0..n-1}, distinct when {@code k <= n}. */
    static int[] pick(SplittableRandom rnd, int n, int k) {
        int[] out = new int[k];
        if (k > n) {
            for (int i = 0; i < k; i++) out[i] = rnd.nextInt(n);
            return out;
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
            out[i] = all[i];
        }
        return out;
    }

    /** A {@code cw x ch} window at (x, y) of a {@code w}-wide plane. */
    public static float[] crop(float[] src, int w, int x, int y, int cw, int ch) {
        float[] out = new float[cw * ch];
        for (int r = 0; r < ch; r++) System.arraycopy(src, (y + r) * w + x, out, r * cw, cw);
        return out;
    }

    /** One of the 8 symmetries of the square: bit 0 flips x, bit 1 flips y, bit 2 transposes. */
    static float[] transform(float[] a, int n, int t) {
        if (t == 0) return a;
        float[] out = new float[a.length];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                int sx = (t & 1) != 0 ? n - 1 - x : x;
                int sy = (t & 2) != 0 ? n - 1 - y : y;
                if ((t & 4) != 0) {
                    int tmp = sx;
                    sx = sy;
                    sy = tmp;
                }
                out[y * n + x] = a[sy * n + sx];
            }
        return out;
    }

    private static void put(float[] dst, int offset, float[] src) {
        System.arraycopy(src, 0, dst, offset, src.length);
    }

    public int scale() {
        return scale;
    }

    public int patch() {
        return patch;
    }

    public boolean skipsFlat() {
        return skipFlat;
    }

    public int batchSize() {
        return batch;
    }
}
