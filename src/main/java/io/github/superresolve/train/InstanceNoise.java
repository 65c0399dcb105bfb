package io.github.superresolve.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Instance noise (Sonderby et al. 2016): Gaussian noise added to every image a discriminator is shown,
 * real and generated alike, in its own steps and in the generator's adversarial term. Ground-truth
 * photos carry sensor and compression grain that an input downscaled with antialiasing has lost, so a
 * generator cannot restore it; a discriminator that keys on the grain (at x2, noise of standard
 * deviation 0.01 turned its mean logit on generated crops from -3.5 to +1.9, while sharpening them left
 * it at -3.6: docs/training.md) gives the generator a gradient towards nothing it can make. Noise of
 * the grain's size on both hides it. Reproducible: the noise of a step depends only on the seed and
 * the step, so a resumed run draws what the uninterrupted one would have.
 */
final class InstanceNoise {

    private final double sigma;
    private final long seed;

    /** @param sigma standard deviation on the [0, 1] intensity scale; 0 for none */
    InstanceNoise(double sigma, long seed) {
        if (!(sigma >= 0) || sigma > 1) throw new IllegalArgumentException("Instance noise must be between 0 and 1, not " + sigma + ".");
        this.sigma = sigma;
        this.seed = seed;
    }

    boolean enabled() {
        return sigma > 0;
    }

    /** {@code images} with this step's noise added in place (returned as is without noise). */
    INDArray addTo(INDArray images, long step) {
        if (sigma == 0) return images;
        images.addi(sample(images.shape(), step));
        return images;
    }

    /** This step's noise of the given shape (float, 'c' order). */
    INDArray sample(long[] shape, long step) {
        long len = 1;
        for (long d : shape) len *= d;
        float[] v = new float[Math.toIntExact(len)];
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + step);
        for (int i = 0; i < v.length; i++) v[i] = (float) (sigma * gaussian(r));
        return org.nd4j.linalg.factory.Nd4j.create(v, shape, 'c');
    }

    /** A standard normal variate (Marsaglia's polar method, one of the pair). */
    private static double gaussian(SplittableRandom r) {
        double u, w, s;
        do {
            u = 2 * r.nextDouble() - 1;
            w = 2 * r.nextDouble() - 1;
            s = u * u + w * w;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
