package io.github.superresolve.nn;

/**
 * Architecture of an SRResNet generator (Ledig et al. 2017) and of the variants that train faster.
 *
 * <p>The study's configuration is {@link #study(int, int)}: batch-norm in every block, plain output,
 * sub-pixel upsampling. {@link #fast(int, int)} is the recipe measured to learn ~5x faster on 2 cores:
 * no batch-norm, residual blocks scaled by 0.1, and a global bicubic skip (output = bicubic(input) +
 * network(input)).
 *
 * @param channels      image channels in and out (1 = grey, 3 = RGB)
 * @param scale         upscaling factor, a power of two (2, 4, 8)
 * @param blocks        number of residual blocks
 * @param width         feature channels
 * @param batchNorm     batch-norm after each 3x3 conv of the trunk
 * @param residualScale factor applied to each residual branch before the skip is added
 * @param bicubicSkip   add bicubic(input) to the network output (the network learns the residual)
 * @param upsampling    how each x2 step is done
 */
public record GeneratorConfig(int channels, int scale, int blocks, int width, boolean batchNorm,
                              double residualScale, boolean bicubicSkip, Upsampling upsampling) {

    /** How the generator upsamples by two. */
    public enum Upsampling {
        /** 3x3 conv to 4x width, then depth-to-space (sub-pixel convolution, Ledig et al.). */
        SUBPIXEL,
        /** 4x4 transposed convolution with stride 2 (the study's deconvolution). */
        DECONV;

        public static Upsampling parse(String s) {
            for (Upsampling u : values()) if (u.name().equalsIgnoreCase(s)) return u;
            throw new IllegalArgumentException("Unknown upsampling '" + s + "': use subpixel or deconv.");
        }
    }

    public GeneratorConfig {
        if (channels != 1 && channels != 3)
            throw new IllegalArgumentException("A generator has 1 or 3 channels, not " + channels + ".");
        if (scale < 2 || Integer.bitCount(scale) != 1 || scale > 16)
            throw new IllegalArgumentException("The generator's scale must be 2, 4, 8 or 16, not " + scale + ".");
        if (blocks < 0 || blocks > 256) throw new IllegalArgumentException("Residual blocks must be 0..256, not " + blocks + ".");
        if (width < 1 || width > 1024) throw new IllegalArgumentException("Width must be 1..1024, not " + width + ".");
        if (!(residualScale > 0) || residualScale > 1)
            throw new IllegalArgumentException("Residual scale must be in (0, 1], not " + residualScale + ".");
        if (upsampling == null) upsampling = Upsampling.SUBPIXEL;
    }

    /** The study's SRResNet: batch-norm, plain output, sub-pixel upsampling. */
    public static GeneratorConfig study(int channels, int scale) {
        return new GeneratorConfig(channels, scale, 16, 64, true, 1.0, false, Upsampling.SUBPIXEL);
    }

    /** The fast-learning recipe: no batch-norm, residual scale 0.1, global bicubic skip. */
    public static GeneratorConfig fast(int channels, int scale) {
        return new GeneratorConfig(channels, scale, 16, 64, false, 0.1, true, Upsampling.SUBPIXEL);
    }

    /** Number of x2 upsampling stages. */
    public int upsamplingStages() {
        return Integer.numberOfTrailingZeros(scale);
    }

    /**
     * Radius, in input pixels, of the receptive field: the context a tile needs on each side so that
     * its output equals a single-pass run. Rounded up.
     */
    public int receptiveRadius() {
        double r = 4; // 9x9 input conv
        r += blocks * 2; // two 3x3 convs per block
        r += 1; // 3x3 conv after the trunk
        double res = 1; // current resolution relative to the input
        for (int i = 0; i < upsamplingStages(); i++) {
            r += (upsampling == Upsampling.SUBPIXEL ? 1 : 2) / res;
            res *= 2;
        }
        r += 4 / res; // 9x9 output conv at full resolution
        if (bicubicSkip) r = Math.max(r, 2);
        return (int) Math.ceil(r);
    }

    /** Floating-point operations (2 x multiply-adds of the convolutions) for one h x w input. */
    public double flops(long h, long w) {
        double px = (double) h * w;
        double macs = px * 81.0 * channels * width; // conv_in
        macs += px * blocks * 2 * 9.0 * width * width; // trunk
        macs += px * 9.0 * width * width; // mid conv
        double res = 1;
        for (int i = 0; i < upsamplingStages(); i++) {
            if (upsampling == Upsampling.SUBPIXEL) macs += px * res * res * 9.0 * width * width * 4;
            else macs += px * res * res * 16.0 * width * width; // 4x4 transposed conv: 16 taps per input pixel
            res *= 2;
        }
        macs += px * res * res * 81.0 * width * channels; // conv_out
        if (bicubicSkip) macs += px * 25.0 * channels * channels * scale * scale;
        return 2 * macs;
    }

    /** Short description, e.g. "SRResNet 16x64 x4 RGB, no batch-norm, residual x0.1, bicubic skip". */
    public String describe() {
        return "SRResNet " + blocks + "x" + width + " x" + scale + " " + (channels == 3 ? "RGB" : "grey")
                + (batchNorm ? ", batch-norm" : ", no batch-norm")
                + (residualScale != 1 ? ", residual x" + residualScale : "")
                + (bicubicSkip ? ", bicubic skip" : "")
                + (upsampling == Upsampling.DECONV ? ", deconvolution" : "");
    }
}
