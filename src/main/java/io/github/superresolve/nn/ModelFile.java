package io.github.superresolve.nn;

import io.github.superresolve.io.AtomicFile;
import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Model files: one zip holding {@code model-card.json} and one NumPy {@code .npy} float32 array per
 * parameter under {@code params/} (e.g. {@code params/res3_conv1/W.npy}). Written atomically (a
 * temporary file in the same folder, then a rename), so a crash never leaves a half-written model.
 *
 * <p>Why not DL4J's ComputationGraph zip: the networks are SameDiff graphs in training (see {@link SrResNet}) and run op by op at inference ({@link ForwardPass});
 * the graph is rebuilt from the card's architecture, which keeps files small, readable from Python
 * and independent of SameDiff's serialisation between versions.
 *
 * <p><b>Reading a stranger's file is bounded before anything is allocated.</b> A file is read with
 * random access ({@link ModelZip}): no entry name may appear twice; the card first, at most 1 MB counted
 * while inflating, its values within limits (at most {@link ModelCard#MAX_PARAMETERS} parameters in
 * all); then the parameter names against the ones its architecture has ({@link SrResNet#paramShapes}),
 * an unexpected or missing one refused before any value is read; then each parameter, its {@code .npy}
 * header's shape compared with the expected shape before its values are read, and exactly that many
 * values read ({@link Npy}: anything after them refused), so no entry costs more than its expected size
 * however much it inflates to; each entry's CRC-32 checked, and every value finite. Entries the model
 * does not use are never inflated. A model read from a stream (one bundled in the jar) is read the same
 * way when its card comes first, as this writer puts it; otherwise every parameter met before the card
 * counts against {@link ModelCard#MAX_PARAMETERS} values, checked from its header. A stream's entries
 * together may inflate to at most {@link #MAX_STREAM} bytes, counted while inflating. Checkpoints
 * ({@link #readCheckpoint}) bound their optimiser tensors the same way. Every refusal is one sentence
 * naming the file (control characters escaped) and, where it applies, the entry.
 */
public final class ModelFile {

    static {
        NativeBackend.init(); // choose the native build before ND4J loads
    }

    public static final String CARD = "model-card.json";
    private static final String PARAMS = "params/";
    /** Most bytes a model read from a stream may inflate to, all entries together (1 GB). */
    static final long MAX_STREAM = 1L << 30;
    /** Largest trainer state of a checkpoint (it holds a few numbers). */
    static final int MAX_STATE = 16 << 20;

    private ModelFile() {
    }

    /** Reads a model file; throws {@link ModelException} (a {@link BadModelFile} when the file is at fault) with one sentence. */
    public static Model read(Path file) {
        try (ModelZip z = ModelZip.open(file)) {
            return new Model(z.card(), params(z, expectedShapes(z.card())), file.toString());
        }
    }

    /** Reads a training checkpoint (a model file with optimiser tensors and trainer state). */
    public static Checkpoint readCheckpoint(Path file) {
        try (ModelZip z = ModelZip.open(file)) {
            Map<String, long[]> expected = expectedShapes(z.card());
            Model model = new Model(z.card(), params(z, expected), file.toString());
            String shown = z.shown();
            ZipEntry stateEntry = z.entry(TRAINER_STATE);
            if (stateEntry == null)
                throw new ModelException("File " + shown + " is a model, not a training checkpoint: it has no " + TRAINER_STATE + ".");
            String state;
            try (InputStream in = z.open(stateEntry)) {
                state = new String(BoundedRead.readAtMost(in, MAX_STATE), StandardCharsets.UTF_8);
            } catch (BoundedRead.TooLargeException e) {
                throw damagedCheckpoint(shown, "its " + TRAINER_STATE + " holds more than " + BoundedRead.human(MAX_STATE));
            } catch (IOException e) {
                throw damagedCheckpoint(shown, "its " + TRAINER_STATE + " is unreadable");
            }
            return new Checkpoint(model, optimizer(z, model.card(), expected), state);
        }
    }

    /**
     * The optimiser tensors of a checkpoint: the generator's Adam state {@code adam/NAME} is (1, 2n) for
     * its parameter NAME of n values; the discriminator's parameters ({@code disc/...}, and any other
     * tensor) count against {@link ModelCard#MAX_PARAMETERS} values in all, checked from each header
     * before its values are read; its Adam state {@code disc-adam/NAME} is (1, 2n) for {@code disc/NAME}.
     */
    private static Map<String, INDArray> optimizer(ModelZip z, ModelCard card, Map<String, long[]> expected) {
        Map<String, long[]> generator = new LinkedHashMap<>(SrResNet.paramShapes(card.config()));
        generator.putAll(expected); // stage-prefixed names too
        List<ZipEntry> adam = new ArrayList<>(), disc = new ArrayList<>(), discAdam = new ArrayList<>();
        for (ZipEntry e : z.entries()) {
            String n = e.getName();
            if (!n.startsWith(OPTIMIZER) || !n.endsWith(".npy")) continue;
            String key = key(n, OPTIMIZER);
            (key.startsWith("adam/") ? adam : key.startsWith("disc-adam/") ? discAdam : disc).add(e);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        Map<String, Long> discSizes = new LinkedHashMap<>();
        long budget = ModelCard.MAX_PARAMETERS;
        String shown = z.shown();
        for (List<ZipEntry> group : List.of(adam, disc, discAdam))
            for (ZipEntry e : group) {
                String key = key(e.getName(), OPTIMIZER);
                long[] shape = null;
                if (group == adam) {
                    long[] p = generator.get(key.substring("adam/".length()));
                    if (p == null) throw damagedCheckpoint(shown, "unexpected optimiser tensor " + ModelZip.name(key));
                    shape = new long[]{1, 2 * count(p)};
                } else if (group == discAdam && discSizes.containsKey("disc/" + key.substring("disc-adam/".length()))) {
                    shape = new long[]{1, 2 * discSizes.get("disc/" + key.substring("disc-adam/".length()))};
                }
                try (InputStream in = z.open(e)) {
                    Npy.Header h = Npy.header(in);
                    if (shape != null && !Arrays.equals(h.shape(), shape))
                        throw damagedCheckpoint(shown, "optimiser tensor " + ModelZip.name(key) + " has shape " + h.shapeText()
                                + ", expected " + Npy.shapeText(shape));
                    if (shape == null) {
                        if (h.elements() > budget)
                            throw damagedCheckpoint(shown, "its discriminator tensors hold more than "
                                    + ModelCard.MAX_PARAMETERS / 1_000_000 + " million values");
                        budget -= h.elements();
                        discSizes.put(key, h.elements());
                    }
                    out.put(key, Nd4j.create(Npy.data(in, h), h.shape(), 'c'));
                } catch (IOException bad) {
                    throw damagedCheckpoint(shown, "optimiser tensor " + ModelZip.name(key) + " is unreadable ("
                            + (ModelZip.zipDamage(bad) ? "compressed data damaged or cut short" : Printable.escape(bad.getMessage())) + ")");
                }
            }
        return out;
    }

    private static ModelException damagedCheckpoint(String shown, String reason) {
        return new ModelException("Checkpoint " + shown + " is damaged (" + reason + "): start again without resuming, or from its model with --from.");
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Entry name without its folder and {@code .npy}. */
    private static String key(String entry, String folder) {
        return entry.substring(folder.length(), entry.length() - 4);
    }

    private static boolean isParam(String entry) {
        return entry.startsWith(PARAMS) && entry.endsWith(".npy") && entry.length() >= PARAMS.length() + 4;
    }

    /** The parameters of an opened file: names checked first (nothing read), then each one bounded to its expected shape. */
    private static Map<String, INDArray> params(ModelZip z, Map<String, long[]> expected) {
        String shown = z.shown();
        for (ZipEntry e : z.entries())
            if (isParam(e.getName()) && !expected.containsKey(key(e.getName(), PARAMS))) throw unexpected(shown, key(e.getName(), PARAMS));
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> x : expected.entrySet()) {
            ZipEntry e = z.entry(PARAMS + x.getKey() + ".npy");
            if (e == null) throw missing(shown, x.getKey());
            try (InputStream in = z.open(e)) {
                params.put(x.getKey(), parameter(in, x.getKey(), x.getValue(), shown));
            } catch (IOException bad) {
                throw unreadable(shown, x.getKey(), bad);
            }
        }
        return params;
    }

    /**
     * One parameter: its header's shape must be {@code shape} before any value is read; exactly that many
     * values are read, and they must be finite.
     *
     * @throws IOException when the zip's data or the counted stream fails (the caller names it)
     */
    private static INDArray parameter(InputStream in, String key, long[] shape, String shown) throws IOException {
        float[] values;
        try {
            Npy.Header h = Npy.header(in);
            if (!Arrays.equals(h.shape(), shape))
                throw new BadModelFile(shown, "parameter " + ModelZip.name(key) + " does not match its card",
                        "Model file " + shown + " does not match its card: parameter " + ModelZip.name(key) + " has shape "
                                + Arrays.toString(h.shape()) + ", expected " + Arrays.toString(shape) + ".");
            values = Npy.data(in, h);
        } catch (IOException bad) {
            if (ModelZip.zipDamage(bad) || bad instanceof BoundedRead.TooLargeException) throw bad;
            throw unreadable(shown, key, bad);
        }
        for (float v : values)
            if (!Float.isFinite(v))
                throw new BadModelFile(shown, "parameter " + ModelZip.name(key) + " contains NaN or infinite values",
                        "Model file " + shown + " is damaged: parameter " + ModelZip.name(key) + " contains NaN or infinite values.");
        return Nd4j.create(values, shape, 'c');
    }

    private static BadModelFile unreadable(String shown, String key, IOException bad) {
        String why = ModelZip.zipDamage(bad) ? "compressed data damaged or cut short" : Printable.escape(bad.getMessage());
        return new BadModelFile(shown, "parameter " + ModelZip.name(key) + " is unreadable (" + why + ")",
                "Model file " + shown + " is damaged: parameter " + ModelZip.name(key) + " is unreadable (" + why + "). Copy the model again.");
    }

    private static BadModelFile unexpected(String shown, String key) {
        return new BadModelFile(shown, "it holds an unexpected parameter " + ModelZip.name(key),
                "Model file " + shown + " does not match its card: unexpected parameter " + ModelZip.name(key) + ".");
    }

    private static BadModelFile missing(String shown, String key) {
        return new BadModelFile(shown, "parameter " + ModelZip.name(key) + " is missing",
                "Model file " + shown + " is damaged or incomplete: parameter " + ModelZip.name(key) + " is missing. Copy the model again.");
    }

    /** Reads a model from a zip stream; {@code source} names it in messages. */
    public static Model read(InputStream stream, String source) {
        String shown = Printable.escape(source);
        ModelCard card = null;
        Map<String, long[]> expected = null;
        Map<String, Npy.Array> early = new LinkedHashMap<>(); // parameters met before the card
        long earlyValues = 0;
        Map<String, INDArray> params = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            CountedInput in = new CountedInput(zip, MAX_STREAM);
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries++;
                String n = e.getName();
                if (!names.add(n))
                    throw new BadModelFile(shown, "it holds the entry " + ModelZip.name(n) + " twice",
                            "Model file " + shown + " is damaged: it holds the entry " + ModelZip.name(n) + " twice. Copy the model again.");
                if (n.equals(CARD)) {
                    card = ModelZip.card(in, shown);
                    expected = expectedShapes(card);
                    for (Map.Entry<String, Npy.Array> x : early.entrySet()) {
                        long[] shape = expected.get(x.getKey());
                        if (shape == null) throw unexpected(shown, x.getKey());
                        if (!Arrays.equals(shape, x.getValue().shape()))
                            throw new BadModelFile(shown, "parameter " + ModelZip.name(x.getKey()) + " does not match its card",
                                    "Model file " + shown + " does not match its card: parameter " + ModelZip.name(x.getKey()) + " has shape "
                                            + Arrays.toString(x.getValue().shape()) + ", expected " + Arrays.toString(shape) + ".");
                        params.put(x.getKey(), finite(x.getValue(), x.getKey(), shown));
                    }
                    early.clear();
                } else if (isParam(n)) {
                    String key = key(n, PARAMS);
                    if (expected != null) {
                        long[] shape = expected.get(key);
                        if (shape == null) throw unexpected(shown, key);
                        try {
                            params.put(key, parameter(in, key, shape, shown));
                        } catch (ZipException | EOFException bad) {
                            throw unreadable(shown, key, bad);
                        }
                    } else {
                        try {
                            Npy.Header h = Npy.header(in);
                            if (h.elements() > ModelCard.MAX_PARAMETERS - earlyValues)
                                throw new BadModelFile(shown, "its parameters hold more than " + ModelCard.MAX_PARAMETERS / 1_000_000 + " million values",
                                        "Model file " + shown + " is damaged: its parameters hold more than " + ModelCard.MAX_PARAMETERS / 1_000_000
                                                + " million values, more than a model may have. Copy the model again.");
                            earlyValues += h.elements();
                            early.put(key, new Npy.Array(h.shape(), Npy.data(in, h)));
                        } catch (BoundedRead.TooLargeException bad) {
                            throw bad;
                        } catch (IOException bad) {
                            throw unreadable(shown, key, bad);
                        }
                    }
                } else {
                    in.skipAll();
                }
            }
        } catch (BoundedRead.TooLargeException e) {
            throw new BadModelFile(shown, "it inflates to more than " + BoundedRead.human(MAX_STREAM),
                    "Model file " + shown + " is damaged: it inflates to more than " + BoundedRead.human(MAX_STREAM) + ". Copy the model again.");
        } catch (ZipException | EOFException e) {
            throw new BadModelFile(shown, "it is damaged or truncated", "Model file " + shown
                    + " is damaged or truncated (compressed data damaged or cut short): copy the model again.");
        } catch (IOException e) {
            throw new ModelException("Model file " + shown + " cannot be read (" + Printable.escape(e.getMessage()) + ").", e);
        }
        if (entries == 0) throw ModelZip.notAZip(shown);
        if (card == null) throw ModelZip.noCard(shown);
        for (String k : expected.keySet())
            if (!params.containsKey(k)) throw missing(shown, k);
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String k : expected.keySet()) ordered.put(k, params.get(k));
        return new Model(card, ordered, source);
    }

    private static INDArray finite(Npy.Array a, String key, String shown) {
        for (float v : a.data())
            if (!Float.isFinite(v))
                throw new BadModelFile(shown, "parameter " + ModelZip.name(key) + " contains NaN or infinite values",
                        "Model file " + shown + " is damaged: parameter " + ModelZip.name(key) + " contains NaN or infinite values.");
        return Nd4j.create(a.data(), a.shape(), 'c');
    }

    /** The parameters a card's network has, name to shape (stage-prefixed for a recursive model); nothing allocated. */
    static Map<String, long[]> expectedShapes(ModelCard card) {
        Map<String, long[]> expected = SrResNet.paramShapes(card.config());
        if (card.stages() > 1) {
            Map<String, long[]> staged = new LinkedHashMap<>();
            for (int k = 1; k <= card.stages(); k++)
                for (Map.Entry<String, long[]> e : expected.entrySet()) staged.put(ModelCard.stagePrefix(k) + e.getKey(), e.getValue());
            expected = staged;
        }
        return expected;
    }

    /** The entries of a zip stream, counted together: more than {@code limit} bytes is a {@link BoundedRead.TooLargeException}. */
    private static final class CountedInput extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        CountedInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        private int counted(int n) throws IOException {
            if (n > 0 && (count += n) > limit) throw new BoundedRead.TooLargeException(limit);
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(in.read(b, off, len));
        }

        /** Reads the rest of the current entry, counting it. */
        void skipAll() throws IOException {
            byte[] b = new byte[1 << 16];
            while (read(b, 0, b.length) >= 0) {
                // counted
            }
        }
    }

    /** Writes a model atomically; refuses to replace an existing file unless {@code overwrite}. */
    public static void write(ModelCard card, Map<String, INDArray> params, Path file, boolean overwrite) throws IOException {
        write(card, params, Map.of(), null, file, overwrite);
    }

    /** Entry holding a training checkpoint's trainer state (JSON); ignored when the file is read as a model. */
    public static final String TRAINER_STATE = "trainer-state.json";
    /** Folder of a checkpoint's optimiser tensors; ignored when the file is read as a model. */
    public static final String OPTIMIZER = "optimizer/";

    /** A training checkpoint: a model file plus optimiser tensors and the trainer's state. */
    public record Checkpoint(Model model, Map<String, INDArray> optimizer, String trainerState) {
    }

    /**
     * Writes a model file atomically with optional checkpoint entries: {@code optimizer} tensors
     * (under {@value #OPTIMIZER}) and a {@code trainerState} JSON text. Such a file still opens as a model.
     */
    public static void write(ModelCard card, Map<String, INDArray> params, Map<String, INDArray> optimizer,
                             String trainerState, Path file, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(file))
            throw new IOException("Model file " + file + " already exists: choose another name or allow overwriting.");
        AtomicFile.write(file, ".part", tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(CARD));
                zip.write(card.toJson().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                for (Map.Entry<String, INDArray> e : params.entrySet()) {
                    INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
                    zip.putNextEntry(new ZipEntry(PARAMS + e.getKey() + ".npy"));
                    zip.write(Npy.write(a.shape(), a.data().asFloat()));
                    zip.closeEntry();
                }
                for (Map.Entry<String, INDArray> e : optimizer.entrySet()) {
                    INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
                    zip.putNextEntry(new ZipEntry(OPTIMIZER + e.getKey() + ".npy"));
                    zip.write(Npy.write(a.shape(), a.data().asFloat()));
                    zip.closeEntry();
                }
                if (trainerState != null) {
                    zip.putNextEntry(new ZipEntry(TRAINER_STATE));
                    zip.write(trainerState.getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
            }
        });
    }
}
