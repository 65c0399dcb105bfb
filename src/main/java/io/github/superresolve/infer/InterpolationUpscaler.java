package io.github.superresolve.infer;

import io.github.superresolve.image.Kernel;
import io.github.superresolve.image.Resampler;
import io.github.superresolve.image.TileSink;
import io.github.superresolve.image.TileSource;

/**
 * Bicubic or Lanczos-3 upscaling with Pillow's resampling (see {@link Resampler}), done in horizontal
 * bands so memory stays bounded; each output pixel uses exactly the input pixels and weights of a
 * whole-image resize, so banding changes nothing.
 */
public final class InterpolationUpscaler implements Upscaler {

    private static final int BAND = 256; // output rows per band

    private final Kernel kernel;
    private final int scale;

    public InterpolationUpscaler(Kernel kernel, int scale) {
        if (scale < 1 || scale > 64) throw new IllegalArgumentException("Scale must be 1..64, not " + scale + ".");
        this.kernel = kernel;
        this.scale = scale;
    }

    @Override
    public String name() {
        return kernel == Kernel.BICUBIC ? "bicubic" : "lanczos";
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public long workUnits(int width, int height) {
        return ((long) height * scale + BAND - 1) / BAND;
    }

    @Override
    public void upscale(TileSource source, TileSink sink, Progress progress) {
        int w = source.width(), h = source.height();
        int outW = w * scale, outH = h * scale;
        int bands = (int) workUnits(w, h);
        int ch = source.channels();
        for (int b = 0; b < bands; b++) {
            progress.checkCancelled();
            int oy0 = b * BAND, oy1 = Math.min(outH, oy0 + BAND);
            int[] range = Resampler.inputRange(kernel, h, outH, oy0, oy1);
            int iy0 = range[0], ih = range[1] - range[0];
            float[] in = new float[ch * w * ih];
            source.read(0, iy0, w, ih, in, 0);
            float[] out = new float[ch * outW * (oy1 - oy0)];
            float[] plane = new float[w * ih];
            for (int c = 0; c < ch; c++) {
                System.arraycopy(in, c * w * ih, plane, 0, w * ih);
                float[] r = Resampler.resizeRows(plane, w, ih, iy0, h, outW, outH, oy0, oy1, kernel);
                System.arraycopy(r, 0, out, c * outW * (oy1 - oy0), r.length);
            }
            sink.write(0, oy0, outW, oy1 - oy0, out, outW, oy1 - oy0, 0, 0);
            progress.report(b + 1, bands);
        }
    }
}
