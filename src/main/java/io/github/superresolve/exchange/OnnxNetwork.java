package io.github.superresolve.exchange;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.superresolve.nn.ModelException;
import io.github.superresolve.nn.Network;
import onnx.Onnx;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An ONNX super-resolution network from elsewhere, run by ONNX Runtime under Super-Resolve's tiling: one
 * 4-d float input (batch, channel, y, x) of free height and width, one output {@link #scale()} times
 * larger. A graph that fixes its input's height and width ({@link #MIN_FIXED} to {@link #MAX_FIXED}) is
 * probed at that size and runs each tile in windows of that size ({@link FixedSizeWindows}), overlapping
 * by the receptive radius. What tiling needs is measured on the network itself when it is opened:
 * <ul>
 * <li>the scale, from the output of a small probe;</li>
 * <li>the receptive radius (unless the package gives a halo): from the graph's operators
 * ({@link ReceptiveField}), an exact upper bound; for graphs with operators that mix the whole image,
 * measured: the output's change when one input pixel changes, on probes of growing size (a network
 * whose every output depends on every input gets its largest probe's radius). Measuring alone is not
 * enough: trained networks' influence fades below float precision long before their receptive field
 * ends (our srresnet-x4 measures 14 pixels where its graph reaches 40);</li>
 * <li>the native memory per input pixel: every intermediate tensor of probes of two sizes, kept alive
 * from the node that makes it to its last use; the peak's growth between the two probes is the cost per
 * pixel, the rest fixed. (ONNX Runtime's convolutions work through a bounded buffer per thread, not an
 * im2col copy of the whole image: counting one made a 512 x 512 photo run in 64 tiles instead of one.)</li>
 * </ul>
 * ONNX Runtime's memory arena is shrunk at the end of every call, so a call's memory is returned when it
 * ends. Memory per pixel: on Linux the resident peak of calls on two probes (what ONNX Runtime really
 * holds); elsewhere the live tensors times {@link #RUNTIME_OVERHEAD}.
 */
public final class OnnxNetwork implements Network {

    private final String name;
    /** The file (or package entry) the network came from, printable: what messages name. */
    private final String source;
    /**
     * ONNX Runtime's environment, logging only fatal errors: its own error lines (in colour, on the
     * process's standard error) would come before the sentence Super-Resolve gives for the same failure.
     * The first environment made in a JVM decides; sessions and calls set the level again.
     */
    private final OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "super-resolve");
    private final OrtSession session;
    private final String input, output;
    private final int channels, scale, radius;
    private final boolean singleBatch;
    /** The input's height and width when the graph fixes them (then tiles are run in windows of that size), else 0. */
    private final int fixedH, fixedW;
    private final String radiusSource;
    private final double bytesPerPixel;
    private final long fixedBytes;

    /**
     * Opens a network.
     *
     * @param channels channels of its input when the graph leaves them open (0: from the graph)
     * @param radius   receptive radius in input pixels when known (a package's halo), else -1 to measure it
     */
    public OnnxNetwork(String name, byte[] onnx, int channels, int radius) {
        this(name, name, onnx, channels, radius);
    }

    /**
     * Opens a network read from {@code source} (a file, or an entry of a package), which messages name.
     *
     * @param channels channels of its input when the graph leaves them open (0: from the graph)
     * @param radius   receptive radius in input pixels when known (a package's halo), else -1 to measure it
     */
    public OnnxNetwork(String name, String source, byte[] onnx, int channels, int radius) {
        this.name = name;
        this.source = io.github.superresolve.io.Printable.escape(source);
        if (onnx.length == 0) throw new ModelException(this.source + " is empty, not an ONNX model: copy the file again.");
        Onnx.ModelProto proto;
        try {
            proto = Onnx.ModelProto.parseFrom(onnx);
        } catch (Exception | StackOverflowError e) {
            throw new ModelException(this.source + " is not an ONNX model, or is cut short (its bytes are not an ONNX protocol buffer):"
                    + " give a whole .onnx file or a bioimage.io package.");
        }
        OnnxGraphCheck.check(this.source, proto);
        try {
            session = env.createSession(onnx, options());
        } catch (OrtException e) {
            throw new ModelException(this.source + " cannot be run by ONNX Runtime: " + ortReason(e.getMessage()));
        }
        try {
            if (session.getNumInputs() != 1)
                throw new ModelException(source + " has " + session.getNumInputs() + " inputs; Super-Resolve runs networks with one image input.");
            input = session.getInputNames().iterator().next();
            output = session.getOutputNames().iterator().next();
            NodeInfo info = session.getInputInfo().get(input);
            if (!(info.getInfo() instanceof TensorInfo t) || t.getShape().length != 4)
                throw new ModelException(source + "'s input '" + io.github.superresolve.io.Printable.escape(input) + "' is not a 4-d tensor (batch, channel, y, x).");
            long[] shape = t.getShape();
            singleBatch = shape[0] == 1;
            if ((shape[2] > 0) != (shape[3] > 0) || (shape[2] > 0 && (shape[2] < MIN_FIXED || shape[3] < MIN_FIXED || shape[2] > MAX_FIXED || shape[3] > MAX_FIXED)))
                throw new ModelException(source + " accepts only inputs of " + (shape[3] > 0 ? shape[3] : "any") + "x" + (shape[2] > 0 ? shape[2] : "any")
                        + " pixels; Super-Resolve runs networks of a free height and width, or of a fixed one from " + MIN_FIXED + " to " + MAX_FIXED
                        + " pixels: export it with free height and width (torch.onnx.export(..., dynamic_axes={'input': {2: 'h', 3: 'w'}})).");
            fixedH = (int) Math.max(0, shape[2]);
            fixedW = (int) Math.max(0, shape[3]);
            if (shape[1] > 0) this.channels = (int) shape[1];
            else if (channels > 0) this.channels = channels;
            else throw new ModelException(source + " does not say how many channels its input has: give it as a bioimage.io package (rdf.yaml) that does.");
            if (this.channels != 1 && this.channels != 3)
                throw new ModelException(source + " takes " + this.channels + " channels; Super-Resolve runs networks of 1 (grey) or 3 (RGB) channels.");
            this.scale = measureScale();
            // a fixed-size graph is traced once at its size: its calls all cost the same (windows of that size)
            Probe[] traced = fixedH > 0 ? traceProbes(proto, fixedH) : traceProbes(proto, 24, 48);
            Probe small = traced == null ? null : traced[0], large = traced == null ? null : traced[traced.length - 1];
            long live = traced == null ? 0 : fixedH > 0 ? Math.max(1, large.peak() / ((long) fixedH * fixedW))
                    : Math.max(1, (large.peak() - small.peak()) / (48 * 48 - 24 * 24)); // live tensors per pixel
            long[] rss = fixedH > 0 ? null : measuredPeaks();
            if (rss != null) {
                // what the process really held during calls on 64^2 and 128^2 probes (Linux), never below
                // the live tensors (memory a call reuses from the process is not seen as growth)
                long perPixel = Math.max(live, Math.max(1, (rss[1] - rss[0]) / (128 * 128 - 64 * 64)));
                this.bytesPerPixel = perPixel;
                this.fixedBytes = Math.max(0, rss[0] - perPixel * 64 * 64);
            } else if (traced != null) {
                // live tensors, times what ONNX Runtime held beyond them in the measurements on Linux
                this.bytesPerPixel = live * RUNTIME_OVERHEAD;
                this.fixedBytes = Math.max(0, small.peak() - live * 24 * 24);
            } else {
                // a graph whose intermediate tensors cannot be listed as outputs: a cautious guess, 64 KB
                // per output pixel (16 channels of float held 1000 times over), which keeps tiles small
                this.bytesPerPixel = 64.0 * 1024 * scale * scale;
                this.fixedBytes = 0;
            }
            int fromGraph = large == null ? ReceptiveField.UNBOUNDED : ReceptiveField.of(proto.getGraph(), input, large.shapes(), fixedH > 0 ? fixedH : 48);
            this.radius = radius >= 0 ? radius : fromGraph != ReceptiveField.UNBOUNDED ? fromGraph : measureRadius();
            this.radiusSource = radius >= 0 ? "package halo" : fromGraph != ReceptiveField.UNBOUNDED ? "graph" : "measured";
            if (fixedH > 0 && (fixedH - 2 * this.radius < 8 || fixedW - 2 * this.radius < 8))
                throw new ModelException(source + " accepts only inputs of " + fixedW + "x" + fixedH + " pixels, too small for its receptive radius of "
                        + this.radius + " pixels (from its " + radiusSource + "): Super-Resolve could not keep 8 pixels of each window;"
                        + " export it with free height and width (torch.onnx.export(..., dynamic_axes={'input': {2: 'h', 3: 'w'}})).");
            this.opened = true;
        } catch (OrtException | RuntimeException e) {
            close(); // the session holds the weights in native memory
            if (e instanceof RuntimeException r) throw r;
            throw new ModelException(this.source + " cannot be run by ONNX Runtime: " + ortReason(e.getMessage()));
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        // the arena, shrunk at the end of every call (OnnxTimeLimit's run options): 5.1 s instead of 12.3 s for a 336^2 tile of
        // srresnet-x4 without it (memory touched anew on every allocation), and memory still returned
        o.setCPUArenaAllocator(true);
        o.setMemoryPatternOptimization(false);
        o.setIntraOpNumThreads(threads());
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return o;
    }

    /** OMP_NUM_THREADS when set (what every other network here uses), else the cores. */
    static int threads() {
        try {
            String v = System.getenv("OMP_NUM_THREADS");
            if (v != null) return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            // fall through
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Smallest and largest fixed input size run (in windows): smaller ones leave too little of a window, larger ones are not tiles. */
    static final int MIN_FIXED = 16, MAX_FIXED = 4096;

    @Override
    public float[] run(float[] in, int n, int h, int w) {
        if (fixedH > 0 && (h != fixedH || w != fixedW)) { // a fixed-size graph: each tile in windows of its size
            int plane = channels * h * w, outPlane = plane * scale * scale;
            int overlap = Math.max(0, Math.min(radius, (Math.min(fixedH, fixedW) - 1) / 2));
            float[] out = new float[n * outPlane];
            for (int i = 0; i < n; i++) {
                float[] r = FixedSizeWindows.run(win -> run(win, 1, fixedH, fixedW), java.util.Arrays.copyOfRange(in, i * plane, (i + 1) * plane),
                        channels, h, w, fixedH, fixedW, scale, overlap);
                System.arraycopy(r, 0, out, i * outPlane, outPlane);
            }
            return out;
        }
        if (singleBatch && n > 1) { // a graph exported with a batch of exactly 1: one tile per call
            int plane = channels * h * w, outPlane = plane * scale * scale;
            float[] out = new float[n * outPlane];
            for (int i = 0; i < n; i++)
                System.arraycopy(run(java.util.Arrays.copyOfRange(in, i * plane, (i + 1) * plane), 1, h, w), 0, out, i * outPlane, outPlane);
            return out;
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), new long[]{n, channels, h, w});
             OrtSession.Result r = timed(session, t, Set.of(output), n, h, w)) {
            OnnxTensor o = (OnnxTensor) r.get(0);
            long[] s = o.getInfo().getShape();
            if (s.length != 4 || s[0] != n || s[1] != channels || s[2] != (long) h * scale || s[3] != (long) w * scale)
                throw new ModelException(source + " gave an output of shape " + java.util.Arrays.toString(s) + " for an input of "
                        + java.util.Arrays.toString(new long[]{n, channels, h, w}) + ": not " + scale + "x the input with the same channels.");
            FloatBuffer fb = o.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        } catch (OrtException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("bad_alloc") || m.toLowerCase().contains("failed to allocate"))
                throw new OutOfMemoryError(name + ": " + m);
            throw new ModelException(source + " failed in ONNX Runtime on a " + w + "x" + h + " tile: " + ortReason(m));
        }
    }

    /** The least time limit of a call, in seconds: what the opening probes get; {@code superresolve.onnx.timeout} changes it. */
    static final double MIN_LIMIT_SECONDS = limitProperty();
    /** A tile may take this many times what the opening probes predict for its pixels (plus the least limit). */
    static final double LIMIT_FACTOR = 20;

    private static double limitProperty() {
        try {
            double v = Double.parseDouble(System.getProperty("superresolve.onnx.timeout", "60"));
            return v > 0 && Double.isFinite(v) ? v : 60;
        } catch (NumberFormatException e) {
            return 60;
        }
    }

    /** Seconds per input pixel of the slowest opening probe (first calls included, so an overestimate); 0 until opened. */
    private volatile double secondsPerPixel;
    private volatile boolean opened;
    private double minLimit = MIN_LIMIT_SECONDS, limitFactor = LIMIT_FACTOR;

    /** For tests: the least limit and the factor over the prediction. */
    void setTimeLimit(double minSeconds, double factor) {
        this.minLimit = minSeconds;
        this.limitFactor = factor;
    }

    /** The time limit of a call on {@code pixels} input pixels (batch included), in seconds. */
    double timeLimit(long pixels) {
        return minLimit + limitFactor * secondsPerPixel * pixels;
    }

    /**
     * One call of a session under its {@link #timeLimit}; a call stopped at its limit becomes a
     * {@link ModelException} naming the network and the tile. Calls made while the network is opened
     * calibrate the limit of later ones.
     */
    private OrtSession.Result timed(OrtSession s, OnnxTensor t, Set<String> outputs, int n, int h, int w) throws OrtException {
        long pixels = (long) n * h * w;
        double limit = timeLimit(pixels);
        long t0 = System.nanoTime();
        try {
            OrtSession.Result r = OnnxTimeLimit.run(s, Map.of(input, t), outputs, limit);
            if (!opened && pixels >= 16 * 16) secondsPerPixel = Math.max(secondsPerPixel, (System.nanoTime() - t0) / 1e9 / pixels);
            return r;
        } catch (OnnxTimeLimit.Expired e) {
            String what = (n > 1 ? n + " tiles of " : "a ") + w + "x" + h + (opened ? " tile" : " probe");
            throw new ModelException(String.format(java.util.Locale.ROOT, "%s did not finish %s within %.0f s%s, so Super-Resolve stopped it:"
                            + " the network may run without end. If it is merely slow, allow more time with JAVA_OPTS=-Dsuperresolve.onnx.timeout=SECONDS.",
                    source, what, limit,
                    opened ? String.format(java.util.Locale.ROOT, " (its probes predicted %.1f s)", secondsPerPixel * pixels) : ""));
        }
    }

    private float[] probe(int size, long seed) {
        return probe(size, size, seed);
    }

    private float[] probe(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[channels * h * w];
        for (int i = 0; i < x.length; i++) x[i] = 0.25f + 0.5f * r.nextFloat();
        return x;
    }

    private int measureScale() throws OrtException {
        int p = fixedH > 0 ? fixedH : 16, pw = fixedH > 0 ? fixedW : 16;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(probe(p, pw, 1)), new long[]{1, channels, p, pw});
             OrtSession.Result r = timed(session, t, Set.of(output), 1, p, pw)) {
            long[] s = ((TensorInfo) r.get(0).getInfo()).getShape();
            if (s.length != 4 || s[2] % p != 0 || s[3] % pw != 0 || s[2] / p != s[3] / pw || s[2] / p < 2)
                throw new ModelException(source + " is not a super-resolution network: a " + pw + "x" + p + " input gave an output of shape "
                        + java.util.Arrays.toString(s) + " (expected (1, C, r x " + p + ", r x " + pw + ") with r >= 2).");
            if (s[1] != channels)
                throw new ModelException(source + " turns " + channels + " channels into " + s[1] + "; Super-Resolve needs the same channels out as in.");
            return (int) (s[2] / p);
        }
    }

    /**
     * Radius of the input that one output depends on: the output's change from one changed input pixel
     * in the middle of probes of 48, 96, 192 and 384 pixels, until the change stays inside.
     */
    private int measureRadius() {
        int size = 48;
        while (true) {
            int h = fixedH > 0 ? fixedH : size, w = fixedH > 0 ? fixedW : size; // a fixed-size graph: one probe of its size
            float[] a = probe(h, w, 2), b = a.clone();
            int cy = h / 2, cx = w / 2;
            for (int ch = 0; ch < channels; ch++) b[(ch * h + cy) * w + cx] += 0.5f;
            float[] ya = run(a, 1, h, w), yb = run(b, 1, h, w);
            int oh = h * scale, ow = w * scale, reach = 0;
            boolean edge = false;
            for (int ch = 0; ch < channels; ch++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++) {
                        int i = (ch * oh + y) * ow + x;
                        if (Math.abs(ya[i] - yb[i]) > 1e-6f) {
                            int dy = Math.abs(y / scale - cy), dx = Math.abs(x / scale - cx);
                            reach = Math.max(reach, Math.max(dx, dy));
                            edge |= y < scale || x < scale || y >= oh - scale || x >= ow - scale;
                        }
                    }
            if (!edge) return reach + 1;
            if (fixedH > 0 || size >= 384) return Math.min(h, w) / 2; // every output depends on (nearly) every input
            size *= 2;
        }
    }

    /**
     * Resident memory ONNX Runtime held beyond its live tensors, measured with {@link PeakMemory}:
     * exported srresnet-x4 on a 336^2 tile, 11.2 KB per input pixel against 8.2 KB of live tensors.
     */
    static final double RUNTIME_OVERHEAD = 1.4;

    /** Peak resident bytes during calls on 64^2 and 128^2 probes, or null where it cannot be measured. */
    private long[] measuredPeaks() {
        if (!PeakMemory.available()) return null;
        try {
            long[] peaks = new long[2];
            int[] sizes = {64, 128};
            run(probe(sizes[0], 5), 1, sizes[0], sizes[0]); // warm up: first-call allocations are not per pixel
            for (int i = 0; i < 2; i++) {
                float[] x = probe(sizes[i], 6);
                long base = PeakMemory.reset();
                run(x, 1, sizes[i], sizes[i]);
                peaks[i] = Math.max(0, PeakMemory.peak() - base);
            }
            return peaks[1] > peaks[0] ? peaks : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Every tensor's shape on a probe, and the peak bytes of the tensors alive at once. */
    private record Probe(Map<String, long[]> shapes, long peak) {
    }

    /**
     * {@link #peakBytes} and the shapes on probes of each size, from one session of the graph with every
     * tensor listed as an output; null when they cannot be listed.
     */
    private Probe[] traceProbes(Onnx.ModelProto proto, int... sizes) {
        Onnx.GraphProto g = proto.getGraph();
        Set<String> declared = new HashSet<>();
        for (Onnx.ValueInfoProto v : g.getOutputList()) declared.add(v.getName());
        Onnx.GraphProto.Builder gb = g.toBuilder();
        for (Onnx.NodeProto n : g.getNodeList())
            for (String o : n.getOutputList())
                if (!o.isEmpty() && declared.add(o)) gb.addOutput(Onnx.ValueInfoProto.newBuilder().setName(o));
        try (OrtSession tracing = env.createSession(proto.toBuilder().setGraph(gb).build().toByteArray(), options())) {
            Probe[] probes = new Probe[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                Map<String, long[]> shapes = new HashMap<>();
                probes[i] = new Probe(shapes, peakBytes(tracing, g, sizes[i], fixedH > 0 ? fixedW : sizes[i], shapes));
            }
            return probes;
        } catch (OrtException | RuntimeException e) {
            return null;
        }
    }

    /** Peak bytes of live tensors of one call on a {@code size x size} input, run on the tracing session. */
    private long peakBytes(OrtSession tracing, Onnx.GraphProto g, int size, int width, Map<String, long[]> shapes) throws OrtException {
        Map<String, Long> bytes = new HashMap<>();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(probe(size, width, 3)), new long[]{1, channels, size, width});
             OrtSession.Result r = timed(tracing, t, null, 1, size, width)) {
            for (Map.Entry<String, OnnxValue> e : r) {
                if (e.getValue().getInfo() instanceof TensorInfo ti) {
                    long n = 1;
                    for (long d : ti.getShape()) n *= Math.max(1, d);
                    bytes.put(e.getKey(), n * 4);
                    shapes.put(e.getKey(), ti.getShape());
                }
            }
        }
        bytes.put(input, 4L * channels * size * width);
        shapes.put(input, new long[]{1, channels, size, width});
        Map<String, long[]> inits = new HashMap<>();
        for (Onnx.TensorProto i : g.getInitializerList()) inits.put(i.getName(), i.getDimsList().stream().mapToLong(Long::longValue).toArray());
        List<Onnx.NodeProto> nodes = g.getNodeList();
        Map<String, Integer> lastUse = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (String in : nodes.get(i).getInputList()) lastUse.put(in, i);
        lastUse.put(input, Math.max(0, lastUse.getOrDefault(input, 0)));
        for (Onnx.ValueInfoProto v : g.getOutputList()) lastUse.put(v.getName(), nodes.size());
        long live = bytes.get(input), peak = live;
        for (int i = 0; i < nodes.size(); i++) {
            Onnx.NodeProto n = nodes.get(i);
            long made = 0;
            for (String o : n.getOutputList()) made += bytes.getOrDefault(o, 0L);
            live += made;
            peak = Math.max(peak, live);
            for (String in : n.getInputList())
                if (lastUse.getOrDefault(in, -1) == i && bytes.containsKey(in) && !inits.containsKey(in)) {
                    live -= bytes.get(in);
                    bytes.remove(in);
                }
            for (String o : n.getOutputList())
                if (!lastUse.containsKey(o) && bytes.containsKey(o)) live -= bytes.remove(o); // never used
        }
        return peak;
    }

    /**
     * ONNX Runtime's reason as a clause for a user: its first line, without its error code, source file,
     * line and C++ signature; an allocation it could not make becomes the size asked for. Escaped.
     */
    static String ortReason(String message) {
        String m = firstLine(message);
        m = m.replaceAll("^Error code - \\w+ - message:\\s*", "");
        m = m.replaceAll("\\S+\\.(?:cc|cpp|h):\\d+\\s+[^(]*\\([^)]*\\)\\s*(?:const\\s*)?", "");
        m = m.replaceAll("(?:[A-Za-z]*Exception during \\w+|[A-Za-z.]*Exception):\\s*", "");
        java.util.regex.Matcher a = java.util.regex.Pattern.compile("Failed to allocate memory for requested buffer of size (\\d+)").matcher(m);
        if (a.find()) {
            double bytes = Double.parseDouble(a.group(1));
            return String.format(java.util.Locale.ROOT, "it asks for a buffer of %.3g GB, more memory than there is (the file may be damaged)", bytes / (1L << 30));
        }
        m = m.strip();
        if (m.endsWith(".")) m = m.substring(0, m.length() - 1);
        return io.github.superresolve.io.Printable.escape(m.isEmpty() ? "no reason given" : m);
    }

    private static String firstLine(String s) {
        if (s == null) return "no reason given";
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int receptiveRadius() {
        return radius;
    }

    @Override
    public double bytesPerPixel() {
        return bytesPerPixel;
    }

    @Override
    public long fixedBytes() {
        return fixedBytes;
    }

    /** Nothing to free between calls: ONNX Runtime returns a call's memory when it ends (arena shrunk). */
    @Override
    public void release() {
    }

    /** Closes the session (the weights); the network cannot run afterwards. */
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // already closed
        }
    }

    public String name() {
        return name;
    }

    /** Where {@link #receptiveRadius()} came from: "package halo", "graph" or "measured". */
    public String radiusSource() {
        return radiusSource;
    }
}
