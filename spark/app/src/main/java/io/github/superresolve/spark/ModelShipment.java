package io.github.superresolve.spark;

import io.github.superresolve.resolve.ModelResolver;
import io.github.superresolve.nn.ModelCatalog;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model a job runs, as executors get it: a shipped model's name (inside the application jar, so
 * nothing travels), or the bytes of a model file (a Super-Resolve model zip, an ONNX file or a
 * bioimage.io package zip) read once by the driver from any Hadoop file system and broadcast, so
 * executors need no access to where it came from. Each executor JVM writes the bytes to a local file
 * once ({@link #localSpec()}) and loads the model once from there; tasks then share it.
 */
public final class ModelShipment implements Serializable {

    /** Largest model file a job broadcasts (our models are under 10 MB, foreign ones rarely above 200 MB). */
    static final long MAX_BYTES = 512L << 20;

    private final String name;
    private final byte[] bytes;
    private final String sha256;

    private ModelShipment(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
        this.sha256 = bytes == null ? null : sha256(bytes);
    }

    /**
     * The model a user gave: {@code bicubic}, {@code lanczos}, a shipped model's name, or a path or URI
     * of a model file.
     *
     * @throws IllegalArgumentException with a sentence naming the model when it cannot be used
     */
    public static ModelShipment resolve(String model, Configuration hadoop) {
        String m = model == null ? "" : model.trim();
        if (m.isEmpty()) throw new IllegalArgumentException("No model given: use --model with a model name (see 'super-resolve models') or a model file.");
        if (ModelResolver.isInterpolation(m) || ModelCatalog.standard().names().contains(m))
            return new ModelShipment(m, null);
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml"))
            throw new IllegalArgumentException("Model " + m + " is a package's rdf.yaml: give the package's zip instead, which travels to the executors as one file.");
        if (!lower.endsWith(".zip") && !lower.endsWith(".onnx"))
            throw new IllegalArgumentException("Model '" + m + "' is neither a model name (" + String.join(", ", ModelCatalog.standard().names())
                    + ", bicubic, lanczos) nor a model file (.zip or .onnx).");
        Path p = new Path(m);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) throw new IllegalArgumentException("Model file " + m + " does not exist.");
            long size = fs.getFileStatus(p).getLen();
            if (size > MAX_BYTES)
                throw new IllegalArgumentException("Model file " + m + " holds " + (size >> 20) + " MB, more than the " + (MAX_BYTES >> 20)
                        + " MB a job broadcasts to its executors.");
            byte[] b;
            try (InputStream in = fs.open(p)) {
                b = in.readAllBytes();
            }
            return new ModelShipment(p.getName(), b);
        } catch (IOException e) {
            throw new IllegalArgumentException("Model file " + m + " cannot be read: " + e.getMessage());
        }
    }

    /** The model's name, or its file's name. */
    public String name() {
        return name;
    }

    /** Whether the model is a file broadcast with the job (not a name). */
    public boolean isFile() {
        return bytes != null;
    }

    private static final Map<String, String> LOCAL = new ConcurrentHashMap<>();

    /**
     * What {@link ModelResolver#resolve} takes in this JVM: the name, or the path of a local copy of the
     * file, written once per JVM (a temporary folder removed when the JVM exits).
     */
    public String localSpec() {
        if (bytes == null) return name;
        return LOCAL.computeIfAbsent(sha256, k -> {
            try {
                java.nio.file.Path dir = Files.createTempDirectory("super-resolve-model-");
                java.nio.file.Path f = dir.resolve(name);
                Files.write(f, bytes);
                f.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return f.toString();
            } catch (IOException e) {
                throw new IllegalStateException("Could not write the model " + name + " to a local temporary folder: " + e.getMessage(), e);
            }
        });
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
