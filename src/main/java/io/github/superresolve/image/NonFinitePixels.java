package io.github.superresolve.image;

/**
 * NaN and infinite pixels of a 32-bit plane (masks, values out of a detector's range), kept as they
 * are through upscaling: the upscaler is given a copy in which each is replaced by its nearest finite
 * neighbour in its row (rows without any finite pixel by the nearest row that has one), so that it
 * computes finite values around them; afterwards the {@code scale x scale} output pixels each one
 * becomes are set back to its own value (NaN, +Inf or -Inf). Linear in the plane's size.
 */
public final class NonFinitePixels {

    private NonFinitePixels() {
    }

    /** How many pixels of {@code plane} are NaN or infinite. */
    public static long count(float[] plane) {
        long n = 0;
        for (float v : plane) if (!Float.isFinite(v)) n++;
        return n;
    }

    /** The largest magnitude of the finite pixels (0 when none is finite). */
    public static double maxFinite(float[] plane) {
        double m = 0;
        for (float v : plane) if (Float.isFinite(v)) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** A copy of a {@code width x height} plane with every non-finite pixel replaced by its nearest finite neighbour. */
    public static float[] filled(float[] plane, int width, int height) {
        float[] out = plane.clone();
        boolean[] finiteRow = new boolean[height];
        int[] left = new int[width];
        boolean any = false;
        for (int y = 0; y < height; y++) {
            int row = y * width, last = -1;
            for (int x = 0; x < width; x++) {
                if (Float.isFinite(plane[row + x])) last = x;
                left[x] = last;
            }
            if (last < 0) continue; // no finite pixel in this row
            finiteRow[y] = any = true;
            int right = -1;
            for (int x = width - 1; x >= 0; x--) {
                if (Float.isFinite(plane[row + x])) {
                    right = x;
                    continue;
                }
                int l = left[x];
                int from = l < 0 ? right : right < 0 ? l : (x - l <= right - x ? l : right);
                out[row + x] = plane[row + from];
            }
        }
        if (!any) {
            java.util.Arrays.fill(out, 0f);
            return out;
        }
        // rows without a finite pixel: the nearest row that has one (above on ties)
        int previous = -1;
        for (int y = 0; y < height; y++) {
            if (finiteRow[y]) {
                previous = y;
                continue;
            }
            int next = y + 1;
            while (next < height && !finiteRow[next]) next++;
            int from = previous < 0 ? next : next >= height ? previous : (y - previous <= next - y ? previous : next);
            System.arraycopy(out, from * width, out, y * width, width);
        }
        return out;
    }

    /**
     * Sets the {@code scale x scale} pixels of {@code output} (a {@code width*scale} wide plane) that
     * each non-finite pixel of {@code input} became back to that pixel's value.
     */
    public static void restore(float[] input, int width, int height, int scale, float[] output) {
        int outW = width * scale;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                float v = input[y * width + x];
                if (Float.isFinite(v)) continue;
                for (int dy = 0; dy < scale; dy++) {
                    int o = (y * scale + dy) * outW + x * scale;
                    java.util.Arrays.fill(output, o, o + scale, v);
                }
            }
    }
}
