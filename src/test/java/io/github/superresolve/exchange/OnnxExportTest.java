package io.github.superresolve.exchange;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.superresolve.nn.GeneratorConfig;
import io.github.superresolve.nn.Model;
import io.github.superresolve.nn.ModelCard;
import io.github.superresolve.nn.SrResNet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported graphs run by an independent runtime (Microsoft's ONNX Runtime) give what our own inference
 * gives, for every layout a card can describe: the fast recipe (bicubic skip, residual scale), the
 * study's (batch-norm with non-trivial statistics, plain output), deconvolution, slopes outside [0, 1],
 * two chained stages, grey and RGB, x2 to x8.
 */
class OnnxExportTest {

    static float[] runOnnx(byte[] onnx, float[] input, int c, int h, int w) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{1, c, h, w});
             OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    static float[] randomImage(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat();
        return x;
    }

    /** Parameters of a configuration, disturbed so that every one matters (non-zero biases, BN statistics, slopes). */
    static Map<String, INDArray> disturbed(GeneratorConfig c, long seed, boolean slopesOutside) {
        Map<String, INDArray> p = new LinkedHashMap<>(SrResNet.initParams(c, seed, 0.3));
        Random r = new Random(seed + 1);
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            String k = e.getKey();
            INDArray a = e.getValue();
            if (k.endsWith("/b") || k.endsWith("/beta") || k.endsWith("/mean")) a.addi(SrResNetNoise.uniform(r, a.length(), 0.05).reshape(a.shape()));
            if (k.endsWith("/gamma") || k.endsWith("/var")) a.muli(SrResNetNoise.uniform(r, a.length(), 0.3).addi(1).reshape(a.shape()));
            if (k.endsWith("/alpha")) a.assign(SrResNetNoise.uniform(r, a.length(), slopesOutside ? 1.0 : 0.2).addi(slopesOutside ? 0.1 : 0.25).reshape(a.shape()));
        }
        return p;
    }

    private static void assertSame(Model m, int h, int w) throws Exception {
        int c = m.card().channels(), s = m.card().scale();
        float[] x = randomImage(c * h * w, 7);
        float[] ours = m.generator().run(x.clone(), 1, h, w);
        float[] theirs = runOnnx(OnnxExport.build(m).toByteArray(), x, c, h, w);
        assertEquals(ours.length, theirs.length, "output size");
        assertEquals((long) c * h * s * w * s, theirs.length);
        double max = 0;
        for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] - theirs[i]));
        assertTrue(max < 1e-4, m.card().name() + ": ONNX Runtime differs from our inference by " + max);
    }

    private static Model model(String name, GeneratorConfig c, boolean slopesOutside) {
        return new Model(new ModelCard(name, "SRResNet", "", c, "MIT", null, null), disturbed(c, 3, slopesOutside), name);
    }

    @Test
    void fastRecipeGreyAndRgb() throws Exception {
        assertSame(model("fast-x2-grey", new GeneratorConfig(1, 2, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL), false), 19, 23);
        assertSame(model("fast-x4-rgb", new GeneratorConfig(3, 4, 2, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL), false), 17, 13);
    }

    @Test
    void studyWithBatchNormAndSlopesOutsideUnitRange() throws Exception {
        assertSame(model("study-x4", new GeneratorConfig(3, 4, 2, 8, true, 1.0, false, GeneratorConfig.Upsampling.SUBPIXEL), true), 16, 21);
    }

    @Test
    void deconvolutionAtX8() throws Exception {
        assertSame(model("deconv-x8", new GeneratorConfig(1, 8, 1, 8, true, 1.0, false, GeneratorConfig.Upsampling.DECONV), false), 11, 9);
    }

    @Test
    void twoStagesChained() throws Exception {
        GeneratorConfig c = new GeneratorConfig(3, 2, 1, 8, false, 0.1, true, GeneratorConfig.Upsampling.SUBPIXEL);
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (int k = 1; k <= 2; k++)
            for (Map.Entry<String, INDArray> e : disturbed(c, 10 + k, false).entrySet()) p.put(ModelCard.stagePrefix(k) + e.getKey(), e.getValue());
        Model m = new Model(new ModelCard("two-stage", "rGAN", "", c, "MIT", null, null, 2), p, "two-stage");
        assertSame(m, 14, 18);
    }
}
