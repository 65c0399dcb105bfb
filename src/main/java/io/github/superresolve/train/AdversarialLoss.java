package io.github.superresolve.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The cross-entropies of adversarial training on a discriminator's logits, with their gradients by the
 * logits, for the eager engine (the graphs of {@link DiscriminatorTrainer} and {@link GeneratorTrainer}
 * build the same from SameDiff ops). In double precision over the batch's few logits; softplus and
 * sigmoid in their overflow-free forms.
 *
 * @param value    the loss
 * @param gradient its gradient by each logit, (m, 1) float
 * @param accuracy the discriminator's share of right calls (discriminator losses only, else NaN)
 */
record AdversarialLoss(double value, INDArray gradient, double accuracy) {

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** 1 / (1 + e^-x) without overflow. */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * The discriminator's loss on logits of {@code real} ground-truth images followed by generated ones:
     * binary cross-entropy with labels 1 and 0, mean over all; or, {@code relativistic}, mean over pairs
     * (real i, generated i) of -log sigmoid(l_i - l_(real + i)).
     */
    static AdversarialLoss discriminator(INDArray logits, int real, boolean relativistic) {
        double[] l = logits.reshape(-1).toDoubleVector();
        double[] g = new double[l.length];
        double loss = 0;
        int right = 0;
        if (relativistic) {
            if (l.length != 2 * real) throw new IllegalArgumentException("A relativistic discriminator needs one generated image per real one.");
            for (int i = 0; i < real; i++) {
                double d = l[i] - l[real + i];
                loss += softplus(-d) / real;
                double s = -sigmoid(-d) / real;
                g[i] = s;
                g[real + i] = -s;
                if (d > 0) right++;
            }
            return new AdversarialLoss(loss, column(g), right / (double) real);
        }
        for (int i = 0; i < l.length; i++) {
            double y = i < real ? 1 : 0;
            loss += (softplus(l[i]) - y * l[i]) / l.length;
            g[i] = (sigmoid(l[i]) - y) / l.length;
            if ((l[i] > 0) == (i < real)) right++;
        }
        return new AdversarialLoss(loss, column(g), right / (double) l.length);
    }

    /**
     * The generator's adversarial term on logits of {@code n} generated images followed, in a mixed batch,
     * by their n ground truths: mean over the generated of -log sigmoid(l_i) (the ground truths' logits
     * take no part but through batch statistics); or, {@code relativistic}, mean of -log sigmoid(l_i - l_(n + i)).
     */
    static AdversarialLoss generator(INDArray logits, int n, boolean relativistic) {
        double[] l = logits.reshape(-1).toDoubleVector();
        double[] g = new double[l.length];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double d = relativistic ? l[i] - l[n + i] : l[i];
            loss += softplus(-d) / n;
            double s = -sigmoid(-d) / n;
            g[i] = s;
            if (relativistic) g[n + i] = -s;
        }
        return new AdversarialLoss(loss, column(g), Double.NaN);
    }

    private static INDArray column(double[] g) {
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) f[i] = (float) g[i];
        return Nd4j.create(f, new long[]{g.length, 1}, 'c').castTo(DataType.FLOAT);
    }
}
