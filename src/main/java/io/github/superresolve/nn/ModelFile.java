package io.github.superresolve.nn;

import io.github.superresolve.io.AtomicFile;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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
 */
public final class ModelFile {

    static {
        NativeBackend.init(); // choose the native build before ND4J loads
    }

    public static final String CARD = "model-card.json";
    private static final String PARAMS = "params/";
    private static final long MAX_ENTRY = 512L << 20;

    private ModelFile() {
    }

    public static Model read(Path file) {
        if (!Files.exists(file)) throw new ModelException("Model file " + file + " does not exist: check the path or pick a model from the list.");
        if (!Files.isReadable(file) || Files.isDirectory(file))
            throw new ModelException("Model file " + file + " cannot be read: check its permissions.");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ModelException("Model file " + file + " does not exist: check the path or pick a model from the list.");
        } catch (IOException e) {
            throw new ModelException("Model file " + file + " cannot be read (" + e.getMessage() + "): check the file.", e);
        }
    }

    /** Reads a training checkpoint (a model file with optimiser tensors and trainer state). */
    public static Checkpoint readCheckpoint(Path file) {
        Model model = read(file);
        Map<String, INDArray> optimizer = new LinkedHashMap<>();
        String state = null;
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String n = e.getName();
                if (n.equals(TRAINER_STATE)) state = new String(Npy.readAll(zip, 16 << 20), StandardCharsets.UTF_8);
                else if (n.startsWith(OPTIMIZER) && n.endsWith(".npy")) {
                    Npy.Array a = Npy.read(Npy.readAll(zip, MAX_ENTRY));
                    optimizer.put(n.substring(OPTIMIZER.length(), n.length() - 4), Nd4j.create(a.data(), a.shape(), 'c'));
                }
            }
        } catch (IOException e) {
            throw new ModelException("Checkpoint " + file + " is damaged (" + e.getMessage() + "): start again without resuming, or from its model with --from.", e);
        }
        if (state == null)
            throw new ModelException("File " + file + " is a model, not a training checkpoint: it has no " + TRAINER_STATE + ".");
        return new Checkpoint(model, optimizer, state);
    }

    /** Reads a model from a zip stream; {@code source} names it in messages. */
    public static Model read(InputStream stream, String source) {
        ModelCard card = null;
        Map<String, INDArray> params = new LinkedHashMap<>();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries++;
                String n = e.getName();
                if (n.equals(CARD)) {
                    String json = new String(Npy.readAll(zip, 1 << 20), StandardCharsets.UTF_8);
                    try {
                        card = ModelCard.fromJson(json);
                    } catch (IllegalArgumentException bad) {
                        throw new ModelException("Model file " + source + " has an invalid model card (" + bad.getMessage() + ").");
                    }
                } else if (n.startsWith(PARAMS) && n.endsWith(".npy")) {
                    String key = n.substring(PARAMS.length(), n.length() - 4);
                    Npy.Array a;
                    try {
                        a = Npy.read(Npy.readAll(zip, MAX_ENTRY));
                    } catch (IOException bad) {
                        throw new ModelException("Model file " + source + " is damaged: parameter " + key + " is unreadable (" + bad.getMessage() + "). Copy the model again.");
                    }
                    params.put(key, Nd4j.create(a.data(), a.shape(), 'c'));
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new ModelException("Model file " + source + " is damaged or truncated (" + e.getMessage() + "): copy the model again.", e);
        } catch (IOException e) {
            throw new ModelException("Model file " + source + " cannot be read (" + e.getMessage() + ").", e);
        }
        if (entries == 0)
            throw new ModelException("Model file " + source + " is not a Super-Resolve model (not a zip archive, or empty): choose a .zip model file.");
        if (card == null)
            throw new ModelException("Model file " + source + " is not a Super-Resolve model: it has no " + CARD + ".");
        check(card, params, source);
        return new Model(card, params, source);
    }

    private static void check(ModelCard card, Map<String, INDArray> params, String source) {
        Map<String, long[]> expected = SrResNet.paramShapes(card.config());
        if (card.stages() > 1) {
            Map<String, long[]> staged = new java.util.LinkedHashMap<>();
            for (int k = 1; k <= card.stages(); k++)
                for (Map.Entry<String, long[]> e : expected.entrySet()) staged.put(ModelCard.stagePrefix(k) + e.getKey(), e.getValue());
            expected = staged;
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray got = params.get(e.getKey());
            if (got == null)
                throw new ModelException("Model file " + source + " is damaged or incomplete: parameter " + e.getKey() + " is missing. Copy the model again.");
            if (!Arrays.equals(got.shape(), e.getValue()))
                throw new ModelException("Model file " + source + " does not match its card: parameter " + e.getKey() + " has shape "
                        + Arrays.toString(got.shape()) + ", expected " + Arrays.toString(e.getValue()) + ".");
            if (got.isNaN().any() || got.isInfinite().any())
                throw new ModelException("Model file " + source + " is damaged: parameter " + e.getKey() + " contains NaN or infinite values.");
        }
        for (String k : params.keySet())
            if (!expected.containsKey(k))
                throw new ModelException("Model file " + source + " does not match its card: unexpected parameter " + k + ".");
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
