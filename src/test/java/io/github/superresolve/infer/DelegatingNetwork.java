package io.github.superresolve.infer;

import io.github.superresolve.nn.Generator;
import io.github.superresolve.nn.Network;

import java.util.ArrayList;
import java.util.List;

/** A network that passes every call to a generator and records each tile's pixels; tests override run(). */
class DelegatingNetwork implements Network {

    final Generator g;
    /** Pixels (h x w) of each tile run, in order. */
    final List<Integer> sizes = new ArrayList<>();

    DelegatingNetwork(Generator g) {
        this.g = g;
    }

    @Override
    public float[] run(float[] input, int n, int h, int w) {
        sizes.add(h * w);
        return g.run(input, n, h, w);
    }

    @Override
    public int scale() {
        return g.scale();
    }

    @Override
    public int channels() {
        return g.channels();
    }

    @Override
    public int receptiveRadius() {
        return g.receptiveRadius();
    }

    @Override
    public double bytesPerPixel() {
        return g.bytesPerPixel();
    }

    @Override
    public long fixedBytes() {
        return g.fixedBytes();
    }

    @Override
    public void release() {
        g.release();
    }
}
