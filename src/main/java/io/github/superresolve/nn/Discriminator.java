package io.github.superresolve.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Discriminators of the adversarial methods, as SameDiff graphs returning one logit per image
 * (the sigmoid is folded into the cross-entropy loss, which is the numerically stable form).
 *
 * <ul>
 * <li>{@link Kind#CONV}: Ledig et al.'s SRGAN discriminator: eight 3x3 convolutions 64-64-128-128-256-
 * 256-512-512 wide, stride 2 every second layer, LeakyReLU 0.2, batch-norm after all but the first,
 * then dense 1024, LeakyReLU, dense 1.</li>
 * <li>{@link Kind#CONV_LIGHT}: the same eight convolutions (the same receptive field per position),
 * their 512 channels averaged over the image, then dense 1024, LeakyReLU, dense 1: 0.5 M weights in
 * the dense layers instead of 18.9 M (96^2 patches), for a discriminator that learns in the few hundred
 * steps two cores allow.</li>
 * <li>{@link Kind#CONDITIONAL}: conv-light shown each image beside the generator's input upsampled to its
 * size (bicubic, the generator's own fixed skip kernel): it judges whether the detail is right <em>for
 * that input</em>, as pix2pix's discriminators do. An unconditional discriminator must learn from
 * 96x96 crops alone that a crop lacks detail, while fine-detail power varies more between crops than
 * between a crop and its SRResNet output (a threshold on it separates held-out crops at 0.51); against
 * the input, the same feature separates them at 0.93 (measured, docs/training.md).</li>
 * <li>{@link Kind#HIGHPASS}: conv-light shown the image's fine detail only: 4 (x - G(x)), G a fixed
 * Gaussian blur (sigma 1 pixel, 7x7, per channel; not trained, gradients flow through it). With real
 * and generated images in one batch-norm batch it separates held-out crops from SRResNet's outputs at
 * 0.95 after 10 steps and 0.99 after 25, where conv, conv-light and conditional stay at chance after
 * 150 (PyTorch replica, docs/training.md): fine detail is what an SRResNet's output lacks, and the
 * filter shows it to the first layer instead of leaving eight layers to find it.</li>
 * <li>{@link Kind#HIGHPASS_FINE}: the same with a narrower blur (sigma 0.5 pixel) and gain 8: the
 * filter passes 21 % of the amplitude at half the Nyquist frequency and 43 % at Nyquist along an axis
 * (57 % diagonally; sigma 1: 71 % and 99 %, but most of its output's power then lies in the middle band,
 * where an SRResNet's output is already close to the truth). Figures are the sampled 7x7 kernels'
 * responses (a sampled Gaussian of sigma 0.5 is not the continuous one's: 27 % and 71 % for that). It judges the top band, where the generator restores least, so fooling it takes power
 * there: with {@code highpass} the generator fooled the discriminator while its power above half
 * Nyquist rose only to 1.2x SRResNet's (docs/training.md).</li>
 * <li>{@link Kind#HIGHPASS_BAND}: conv-light shown the band between half Nyquist and Nyquist, blind at
 * Nyquist itself: {@value #BAND_GAIN} B (x - G(x)) twice, G highpass-fine's Gaussian and B the 3x3 binomial
 * blur [1 2 1]^T [1 2 1] / 16, whose response cos^2(pi f) is zero at Nyquist along either axis. Before
 * the gain, its response peaks at 0.6 of Nyquist along an axis (0.027) and 0.7 diagonally (0.037), and
 * is 0.023 at half Nyquist, 0.006 at 0.3 of it. At x2 a generator fooled {@code highpass-fine} with a
 * checkerboard of its sub-pixel upsampling (power at 0.98 of Nyquist up 10x) that cost PSNR and added no
 * detail in the band the x2 input cannot carry; this filter neither sees that checkerboard nor passes
 * gradients that make one. The gain puts its output, for a natural image's 1/f amplitude spectrum, at
 * the RMS of {@code highpass-fine}'s.</li>
 * <li>{@link Kind#CONDITIONAL_BAND}: {@code highpass-band}'s filtered image beside the generator's input
 * upsampled (as {@code conditional}): the band's detail judged against where the input has edges and
 * texture. Unconditionally, how much fine detail a crop should have is not known from the crop: at x2
 * a strong {@code highpass-band} discriminator drove the generator's power above half Nyquist below
 * SRResNet's (docs/training.md). Measured: it stayed at chance over 20 warm-up steps at x2 (its first
 * layer sees image content of amplitude ~0.5 beside band detail of ~0.01).</li>
 * <li>{@link Kind#HIGHPASS_STRONG}: conv-light shown the finest detail with grain taken out:
 * {@value #STRONG_GAIN} shrink(x - B x), B the 3x3 binomial blur (response 1 - cos^2(pi f) along an axis:
 * full at Nyquist, half at half Nyquist) and shrink the soft threshold at {@value #STRONG_THRESHOLD}
 * (values within it become 0, the others move towards 0 by it). At x2 every unthresholded
 * discriminator tried keyed on the training photos' grain, which a generator cannot restore from an
 * antialiased input: SRResNet's outputs plus noise of SD 0.01 were judged real, sharpened ones not
 * (docs/training.md). Measured on 64 training crops (fine detail x - B x, RMS after the threshold;
 * threshold 0 / 0.02): real 0.0114 / 0.0070, srresnet-x2's outputs 0.0072 / 0.0035, those plus noise
 * SD 0.01 0.0108 / 0.0038, those sharpened (x + 0.4 (x - B x)) 0.0085 / 0.0045: the threshold hides
 * grain, keeps the gap, and leaves sharper edges and stronger texture as what brings a generated image
 * closer to a real one. Gradients flow through the threshold wherever detail exceeds it.</li>
 * <li>{@link Kind#CONDITIONAL_STRONG}: {@code highpass-strong}'s input beside the detail of the generator's
 * input upsampled ({@code highpass}'s filter, 4 (c - G(c)), on the bicubic upscale c): both detail maps, of
 * similar amplitude (RMS ~0.1), so that the first layer weighs them alike (conditional-band's raw
 * condition, ~0.5, beside band detail of ~0.01 left it at chance). How much strong fine detail a crop
 * should have varies more between crops than between a crop and its SRResNet output; against where
 * the input has edges it is predictable.</li>
 * <li>{@link Kind#FFT}: the study's fftGAN discriminator: a fixed 2-D discrete Fourier transform of
 * each channel (constant cosine and sine matrices, so gradients flow through it to the generator;
 * nothing in it is trained), log(1 + magnitude), then two dense layers.</li>
 * </ul>
 * Batch-norm uses the batch's statistics (discriminators are only used in training).
 */
public final class Discriminator {

    static {
        NativeBackend.init();
    }

    /** Which discriminator. */
    public enum Kind {
        CONV, CONV_LIGHT, CONDITIONAL, HIGHPASS, HIGHPASS_FINE, HIGHPASS_BAND, CONDITIONAL_BAND, HIGHPASS_STRONG, CONDITIONAL_STRONG, FFT;

        public static Kind parse(String s) {
            String v = s == null ? "" : s.trim().replace('-', '_');
            for (Kind k : values()) if (k.name().equalsIgnoreCase(v)) return k;
            throw new IllegalArgumentException("Unknown discriminator '" + s + "': use " + list(values()) + ".");
        }

        /** The labels of {@code kinds} as a sentence: "a, b or c". */
        public static String list(Kind... kinds) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < kinds.length; i++)
                b.append(i == 0 ? "" : i == kinds.length - 1 ? " or " : ", ").append(kinds[i].label());
            return b.toString();
        }

        /** The discriminators of srgan and rgan: all but {@link #FFT}, fftgan's. */
        public static Kind[] convolutional() {
            return java.util.Arrays.stream(values()).filter(k -> k != FFT).toArray(Kind[]::new);
        }

        /** Whether it also sees the generator's input, upsampled to the image's size ({@link #condition}). */
        public boolean conditional() {
            return this == CONDITIONAL || this == CONDITIONAL_BAND || this == CONDITIONAL_STRONG;
        }

        /** The name users give: conv, conv-light, conditional, highpass, highpass-fine, highpass-band, conditional-band, highpass-strong, conditional-strong or fft. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The detail filter in front of it (conv-light, the pooled head without a filter, counts as {@link Filter#NONE}). */
        public Filter filter() {
            return switch (this) {
                case CONV, CONV_LIGHT, CONDITIONAL -> Filter.NONE;
                case HIGHPASS -> Filter.HIGHPASS;
                case HIGHPASS_FINE -> Filter.HIGHPASS_FINE;
                case HIGHPASS_BAND, CONDITIONAL_BAND -> Filter.BAND;
                case HIGHPASS_STRONG, CONDITIONAL_STRONG -> Filter.STRONG;
                case FFT -> Filter.FFT;
            };
        }

        /**
         * The discriminator of two choices: what it is shown ({@code filter}) and whether it also sees the
         * generator's input ({@code conditional}). Unconditional with no filter is the study's {@link #CONV}
         * (conv-light, the same without its 18.9 M dense weights, is named by its own label only).
         *
         * @throws IllegalArgumentException a sentence naming the choices that exist, for a pair that does not
         */
        public static Kind of(Filter filter, boolean conditional) {
            Kind k = switch (filter) {
                case NONE -> conditional ? CONDITIONAL : CONV;
                case HIGHPASS -> conditional ? null : HIGHPASS;
                case HIGHPASS_FINE -> conditional ? null : HIGHPASS_FINE;
                case BAND -> conditional ? CONDITIONAL_BAND : HIGHPASS_BAND;
                case STRONG -> conditional ? CONDITIONAL_STRONG : HIGHPASS_STRONG;
                case FFT -> conditional ? null : FFT;
            };
            if (k == null)
                throw new IllegalArgumentException("The " + filter.label() + " discriminator has no conditional form: choose a filter of "
                        + Filter.list(Filter.conditionable()) + " with conditional, or leave conditional off.");
            return k;
        }
    }

    /**
     * What a discriminator is shown of each image: the first of its two choices ({@link Kind#of}). The detail
     * filters are fixed (not trained) and let the first layer see where super-resolution differs.
     */
    public enum Filter {
        /** The image itself (the study's). */
        NONE,
        /** 4 (x - G(x)), G a Gaussian of sigma 1: fine detail. */
        HIGHPASS,
        /** The same with sigma 0.5 and gain 8: the top band. */
        HIGHPASS_FINE,
        /** The band from half Nyquist up, blind at Nyquist. */
        BAND,
        /** The finest detail (x minus its 3x3 binomial blur) with values within 0.02 of zero removed. */
        STRONG,
        /** Fourier magnitudes and two dense layers: fftGAN's. */
        FFT;

        /** The name users give: none, highpass, highpass-fine, band, strong or fft. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static Filter parse(String s) {
            String v = s == null ? "" : s.trim().replace('-', '_');
            for (Filter f : values()) if (f.name().equalsIgnoreCase(v)) return f;
            throw new IllegalArgumentException("Unknown discriminator filter '" + s + "': use " + list(values()) + ".");
        }

        /** The filters that also have a conditional discriminator. */
        public static Filter[] conditionable() {
            return new Filter[]{NONE, BAND, STRONG};
        }

        /** The labels as a sentence: "a, b or c". */
        public static String list(Filter... filters) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < filters.length; i++)
                b.append(i == 0 ? "" : i == filters.length - 1 ? " or " : ", ").append(filters[i].label());
            return b.toString();
        }
    }

    static final int[] WIDTHS = {64, 64, 128, 128, 256, 256, 512, 512};
    static final int CONV_HIDDEN = 1024;
    static final int FFT_HIDDEN = 256;

    private Discriminator() {
    }

    /** Fresh parameters for images of {@code channels} x {@code size} x {@code size} (size a multiple of 16). */
    public static Map<String, INDArray> initParams(Kind kind, int channels, int size, long seed) {
        if (size % 16 != 0) throw new IllegalArgumentException("The discriminator's input side must be a multiple of 16, not " + size + ".");
        Random rnd = new Random(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        if (kind != Kind.FFT) {
            int in = kind.conditional() ? 2 * channels : channels;
            for (int i = 0; i < WIDTHS.length; i++) {
                int out = WIDTHS[i];
                p.put("d" + (i + 1) + "/W", SrResNet.normal(rnd, Math.sqrt(2.0 / (9 * in)), 3, 3, in, out));
                p.put("d" + (i + 1) + "/b", Nd4j.zeros(DataType.FLOAT, out));
                if (i > 0) {
                    p.put("d" + (i + 1) + "_bn/gamma", Nd4j.ones(DataType.FLOAT, out));
                    p.put("d" + (i + 1) + "_bn/beta", Nd4j.zeros(DataType.FLOAT, out));
                }
                in = out;
            }
            int flat = kind == Kind.CONV ? 512 * (size / 16) * (size / 16) : 512;
            dense(p, "dense1", flat, CONV_HIDDEN, rnd);
            dense(p, "dense2", CONV_HIDDEN, 1, rnd);
        } else {
            int flat = channels * size * size;
            dense(p, "dense1", flat, FFT_HIDDEN, rnd);
            dense(p, "dense2", FFT_HIDDEN, 1, rnd);
        }
        return p;
    }

    private static void dense(Map<String, INDArray> p, String name, int in, int out, Random rnd) {
        p.put(name + "/W", SrResNet.normal(rnd, Math.sqrt(2.0 / in), in, out));
        p.put(name + "/b", Nd4j.zeros(DataType.FLOAT, 1, out));
    }

    /** The logits (n, 1) of images {@code x} (n, channels, size, size), values ~[0, 1]; not for {@link Kind#CONDITIONAL}. */
    public static SDVariable logits(SameDiff sd, SDVariable x, Kind kind, int channels, int size,
                                    Function<String, SDVariable> param) {
        return logits(sd, x, null, kind, channels, size, param);
    }

    /**
     * The logits (n, 1) of images {@code x} (n, channels, size, size), values ~[0, 1], given for a
     * conditional discriminator the generator's inputs upsampled to the same shape ({@link #condition}).
     */
    public static SDVariable logits(SameDiff sd, SDVariable x, SDVariable condition, Kind kind, int channels, int size,
                                    Function<String, SDVariable> param) {
        if (kind == Kind.FFT) return fftLogits(sd, x, channels, size, param);
        if (kind.conditional() && condition == null)
            throw new IllegalArgumentException("A conditional discriminator needs the generator's inputs.");
        SDVariable h = kind.conditional() ? sd.concat(1, x, condition) : x;
        if (kind == Kind.HIGHPASS) h = highPass(sd, x, channels, HIGHPASS_SIGMA, HIGHPASS_GAIN);
        if (kind == Kind.HIGHPASS_FINE) h = highPass(sd, x, channels, FINE_SIGMA, FINE_GAIN);
        if (kind == Kind.HIGHPASS_BAND) h = bandPass(sd, x, channels);
        if (kind == Kind.CONDITIONAL_BAND) h = sd.concat(1, bandPass(sd, x, channels), condition);
        if (kind == Kind.HIGHPASS_STRONG) h = strongDetail(sd, x, channels);
        if (kind == Kind.CONDITIONAL_STRONG)
            h = sd.concat(1, strongDetail(sd, x, channels), highPass(sd, condition, channels, HIGHPASS_SIGMA, HIGHPASS_GAIN));
        for (int i = 0; i < WIDTHS.length; i++) {
            String n = "d" + (i + 1);
            int stride = i % 2 == 1 ? 2 : 1;
            Conv2DConfig cc = Conv2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).paddingMode(PaddingMode.SAME)
                    .dataFormat("NCHW").build();
            h = sd.cnn().conv2d(h, param.apply(n + "/W"), param.apply(n + "/b"), cc);
            if (i > 0) h = SrResNet.batchNorm(sd, h, param, n + "_bn"); // batch statistics, as the generator's in training
            h = sd.nn().leakyRelu(h, 0.2);
        }
        if (kind != Kind.CONV) {
            h = h.mean(2, 3); // (n, 512): every position's evidence averaged
        } else {
            h = h.reshape(-1, 512 * (size / 16) * (size / 16));
        }
        h = sd.nn().leakyRelu(h.mmul(param.apply("dense1/W")).add(param.apply("dense1/b")), 0.2);
        return h.mmul(param.apply("dense2/W")).add(param.apply("dense2/b"));
    }

    /**
     * The (n, 2n) matrix that turns the logits of a batch of 2n images, n of one kind then n of the other
     * (image i and image n + i a pair: a ground truth and the image generated from its input), into the n
     * differences logit(i) - logit(n + i): a relativistic discriminator's (Jolicoeur-Martineau 2018, RSGAN)
     * score that the first of each pair is the real one is sigmoid of that difference.
     */
    public static INDArray pairDifferences(long n) {
        INDArray p = Nd4j.zeros(DataType.FLOAT, n, 2 * n);
        for (long i = 0; i < n; i++) {
            p.putScalar(i, i, 1f);
            p.putScalar(i, n + i, -1f);
        }
        return p;
    }

    /**
     * log(1 + e^x) without overflow: relu(x) + log(1 + e^-|x|). SameDiff's softplus returns infinity once
     * e^x overflows a float (x > ~88), which a discriminator that separates well reaches: cross-entropies
     * are built on this instead.
     */
    public static SDVariable softplus(SameDiff sd, SDVariable x) {
        return sd.nn().relu(x, 0).add(sd.math().log1p(sd.math().exp(sd.math().abs(x).neg())));
    }

    /** Sigma, in pixels, and gain of {@link Kind#HIGHPASS}'s and {@link Kind#HIGHPASS_FINE}'s filters; the blur's radius. */
    static final double HIGHPASS_SIGMA = 1.0, FINE_SIGMA = 0.5;
    static final double HIGHPASS_GAIN = 4.0, FINE_GAIN = 8.0;
    static final int HIGHPASS_RADIUS = 3;

    /** 4 (x - blur(x)) per channel of x (n, channels, h, w), blur sigma 1: {@link Kind#HIGHPASS}'s input. */
    public static SDVariable highPass(SameDiff sd, SDVariable x, int channels) {
        return highPass(sd, x, channels, HIGHPASS_SIGMA, HIGHPASS_GAIN);
    }

    /** gain (x - blur(x)) per channel of x (n, channels, h, w), a Gaussian blur of {@code sigma} pixels; zero padding at the border. */
    public static SDVariable highPass(SameDiff sd, SDVariable x, int channels, double sigma, double gain) {
        SDVariable k = sd.constant(sd.generateNewVarName("d_blur_W", 0), gaussianKernel(channels, sigma));
        return x.sub(sd.cnn().conv2d(x, k, SrResNet.convConfig(2 * HIGHPASS_RADIUS + 1))).mul(gain);
    }

    /** [side, side, C, C]: a normalised 2-D Gaussian from each channel to itself only. */
    static INDArray gaussianKernel(int channels, double sigma) {
        return perChannel(gaussian2d(sigma), channels);
    }

    /** A normalised 2-D Gaussian of {@code sigma} pixels, (2 {@link #HIGHPASS_RADIUS} + 1)^2. */
    private static double[][] gaussian2d(double sigma) {
        int side = 2 * HIGHPASS_RADIUS + 1;
        double[] g = new double[side];
        double sum = 0;
        for (int i = 0; i < side; i++) sum += g[i] = Math.exp(-Math.pow(i - HIGHPASS_RADIUS, 2) / (2 * sigma * sigma));
        double[][] k = new double[side][side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) k[y][x] = g[y] * g[x] / (sum * sum);
        return k;
    }

    /** Gain of {@link Kind#HIGHPASS_BAND}'s filter; the radius of its kernel. */
    static final double BAND_GAIN = 128;
    static final int BAND_RADIUS = 4;

    /** {@link #BAND_GAIN} B (x - G(x)) twice per channel of x (n, channels, h, w): {@link Kind#HIGHPASS_BAND}'s input; zero padding at the border. */
    public static SDVariable bandPass(SameDiff sd, SDVariable x, int channels) {
        SDVariable k = sd.constant(sd.generateNewVarName("d_band_W", 0), perChannel(bandKernel(), channels));
        return sd.cnn().conv2d(x, k, SrResNet.convConfig(2 * BAND_RADIUS + 1));
    }

    /**
     * The 2-D kernel of {@link Kind#HIGHPASS_BAND}'s filter, (2 {@link #BAND_RADIUS} + 1)^2: BAND_GAIN times the
     * binomial blur convolved twice with (impulse - normalised Gaussian of sigma 0.5, 7x7). Its full support is
     * 15x15; what lies beyond radius 4 comes from Gaussian weights below e^-8 and is dropped, the sum then
     * set to zero at the centre so that flat regions give exactly zero.
     */
    static double[][] bandKernel() {
        int r = HIGHPASS_RADIUS;
        double[][] hp = gaussian2d(FINE_SIGMA);
        for (int y = 0; y <= 2 * r; y++)
            for (int x = 0; x <= 2 * r; x++) hp[y][x] = (y == r && x == r ? 1 : 0) - hp[y][x];
        double[][] full = convolve(convolve(hp, hp), binomial3x3());
        int c = full.length / 2, side = 2 * BAND_RADIUS + 1;
        double[][] k = new double[side][side];
        double total = 0;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) total += k[y][x] = BAND_GAIN * full[c - BAND_RADIUS + y][c - BAND_RADIUS + x];
        k[BAND_RADIUS][BAND_RADIUS] -= total;
        return k;
    }

    /** Threshold (intensities ~[0, 1]) and gain of {@link Kind#HIGHPASS_STRONG}'s input. */
    static final double STRONG_THRESHOLD = 0.02;
    static final double STRONG_GAIN = 16;

    /**
     * {@link #STRONG_GAIN} shrink(x - B x) per channel of x (n, channels, h, w): {@link Kind#HIGHPASS_STRONG}'s
     * input. B is the 3x3 binomial blur [1 2 1]^T [1 2 1] / 16 (zero padding at the border); shrink(d) =
     * relu(d - t) - relu(-d - t), t = {@link #STRONG_THRESHOLD}.
     */
    public static SDVariable strongDetail(SameDiff sd, SDVariable x, int channels) {
        SDVariable k = sd.constant(sd.generateNewVarName("d_binomial_W", 0), perChannel(binomial3x3(), channels));
        SDVariable d = x.sub(sd.cnn().conv2d(x, k, SrResNet.convConfig(3)));
        SDVariable shrunk = sd.nn().relu(d.sub(STRONG_THRESHOLD), 0).sub(sd.nn().relu(d.neg().sub(STRONG_THRESHOLD), 0));
        return shrunk.mul(STRONG_GAIN);
    }

    /** The 3x3 binomial blur [1 2 1]^T [1 2 1] / 16, whose response along an axis is cos^2(pi f). */
    static double[][] binomial3x3() {
        double[] b = {0.25, 0.5, 0.25};
        double[][] k = new double[3][3];
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++) k[y][x] = b[y] * b[x];
        return k;
    }

    /** Full 2-D convolution of two odd-sided square kernels. */
    private static double[][] convolve(double[][] a, double[][] b) {
        int n = a.length + b.length - 1;
        double[][] out = new double[n][n];
        for (int y = 0; y < a.length; y++)
            for (int x = 0; x < a.length; x++)
                for (int v = 0; v < b.length; v++)
                    for (int u = 0; u < b.length; u++) out[y + v][x + u] += a[y][x] * b[v][u];
        return out;
    }

    /**
     * The fixed filter in front of a discriminator's first convolution, as one per-channel kernel [side,
     * side, C, C] ({@link DiscriminatorPass}'s form; the graph applies the same maths as {@code x - blur(x)}):
     * gain (impulse - Gaussian) for the highpass kinds, the band kernel for the band kinds, impulse - binomial
     * before the soft threshold for the strong kinds; null for the kinds without a filter.
     */
    static INDArray filterKernel(Kind kind, int channels) {
        return switch (kind) {
            case HIGHPASS -> perChannel(impulseMinus(gaussian2d(HIGHPASS_SIGMA), HIGHPASS_GAIN), channels);
            case HIGHPASS_FINE -> perChannel(impulseMinus(gaussian2d(FINE_SIGMA), FINE_GAIN), channels);
            case HIGHPASS_BAND, CONDITIONAL_BAND -> perChannel(bandKernel(), channels);
            case HIGHPASS_STRONG, CONDITIONAL_STRONG -> perChannel(impulseMinus(binomial3x3(), 1), channels);
            default -> null;
        };
    }

    /** gain (impulse - k), k odd-sided. */
    private static double[][] impulseMinus(double[][] k, double gain) {
        int r = k.length / 2;
        double[][] out = new double[k.length][k.length];
        for (int y = 0; y < k.length; y++)
            for (int x = 0; x < k.length; x++) out[y][x] = gain * ((y == r && x == r ? 1 : 0) - k[y][x]);
        return out;
    }

    /** [side, side, C, C]: the 2-D kernel {@code k} from each channel to itself only. */
    private static INDArray perChannel(double[][] k, int channels) {
        int side = k.length;
        float[] w = new float[side * side * channels * channels];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                for (int c = 0; c < channels; c++)
                    w[((y * side + x) * channels + c) * channels + c] = (float) k[y][x];
        return Nd4j.create(w, new long[]{side, side, channels, channels}, 'c');
    }

    /**
     * A conditional discriminator's second input: the generator's input {@code lr} (n, channels, h, w)
     * upsampled by {@code scale} with the generator's fixed bicubic kernel (5x5 convolution, then
     * depth-to-space), (n, channels, h*scale, w*scale). No parameters: nothing in it is trained.
     */
    public static SDVariable condition(SameDiff sd, SDVariable lr, int channels, int scale) {
        SDVariable k = sd.constant(sd.generateNewVarName("d_bicubic_W", 0), SrResNet.bicubicSkipKernel(channels, scale));
        SDVariable up = sd.cnn().conv2d(lr, k, SrResNet.convConfig(5));
        return sd.cnn().depthToSpace(up, scale, org.nd4j.enums.DataFormat.NCHW);
    }

    /**
     * log(1 + |DFT2(x)|) per channel, then dense - LeakyReLU - dense. The DFT is two matrix products with
     * constant [cos | sin] matrices: rows first, then columns.
     */
    private static SDVariable fftLogits(SameDiff sd, SDVariable x, int channels, int size, Function<String, SDVariable> param) {
        SDVariable mag = sd.math().log1p(fftMagnitude(sd, x, size));
        SDVariable h = mag.reshape(-1, (long) channels * size * size);
        h = sd.nn().leakyRelu(h.mmul(param.apply("dense1/W")).add(param.apply("dense1/b")), 0.2);
        return h.mmul(param.apply("dense2/W")).add(param.apply("dense2/b"));
    }

    /** |DFT2| of every (image, channel) plane of x (n, C, size, size), same shape. */
    public static SDVariable fftMagnitude(SameDiff sd, SDVariable x, int size) {
        SDVariable cs = sd.constant(dftMatrix(size)); // [size, 2*size] = [cos | sin], symmetric halves
        // rows: each row r of a plane -> (r.cos, r.sin)
        SDVariable rows = x.reshape(-1, size).mmul(cs); // (B*size_y, 2*size_x)
        SDVariable planes = rows.reshape(-1, size, 2 * size); // (B, y, [cos|sin] over x)
        // columns: transpose so y is last, transform again
        SDVariable t = planes.permute(0, 2, 1).reshape(-1, size); // (B*2*size_x, y)
        SDVariable both = t.mmul(cs).reshape(-1, 2, size, 2, size); // (B, a in {xc, xs}, kx, b in {yc, ys}, ky)
        SDVariable cc = both.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(0),
                org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(0), org.nd4j.autodiff.samediff.SDIndex.all());
        SDVariable ss = both.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(1),
                org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(1), org.nd4j.autodiff.samediff.SDIndex.all());
        SDVariable cs2 = both.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(0),
                org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(1), org.nd4j.autodiff.samediff.SDIndex.all());
        SDVariable sc = both.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(1),
                org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.point(0), org.nd4j.autodiff.samediff.SDIndex.all());
        // F = sum x e^{-i(ux+vy)}: Re = cc - ss, Im = -(cs + sc)
        SDVariable re = cc.sub(ss);
        SDVariable im = cs2.add(sc);
        SDVariable m = sd.math().sqrt(re.mul(re).add(im.mul(im)).add(1e-8)); // (B, kx, ky)
        return m.permute(0, 2, 1).reshape(x.shape());
    }

    /** [size, 2*size]: cos(2 pi j k / size) then sin(2 pi j k / size). */
    static INDArray dftMatrix(int size) {
        float[] m = new float[size * 2 * size];
        for (int j = 0; j < size; j++)
            for (int k = 0; k < size; k++) {
                double a = 2 * Math.PI * j * k / size;
                m[j * 2 * size + k] = (float) Math.cos(a);
                m[j * 2 * size + size + k] = (float) Math.sin(a);
            }
        return Nd4j.create(m, new long[]{size, 2 * size}, 'c');
    }
}
