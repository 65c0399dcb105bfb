package io.github.superresolve.exchange;

import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens networks from elsewhere: {@code .onnx} files, bioimage.io packages ({@code rdf.yaml} or
 * {@code *.rdf.yaml}, or a zip holding one) with ONNX weights. A package says the input's channels, the
 * output's scale and halo (the receptive radius) and its pre- and postprocessing ({@link RdfNormalisation});
 * a bare ONNX file gets Super-Resolve's own normalisation (0-1 in and out) and has scale and radius
 * measured. Opened networks are kept (the four most recent), so a batch of images opens one once.
 *
 * <p>Packages and ONNX files come from strangers, so every read is bounded and stays inside the
 * package ({@link PackageFiles}): the description at most 1 MB and parsed within limits
 * ({@link RdfYaml}), its values type-checked and bounded ({@link Rdf}), the weights named by a relative
 * path inside the package, checked against the sha256 the description gives, and at most
 * {@link #maxOnnxBytes()} (ONNX's 2 GB, or a third of the Java heap when that is less), counted while a
 * zip entry inflates. {@link #isForeign} and {@link #scaleOf} read no more than that.
 */
public final class ForeignModels {

    private static final Map<String, ForeignModel> OPEN = new LinkedHashMap<>(4, 0.75f, true);
    private static final int KEEP = 4;
    /** Largest ONNX file: 2 GB is protobuf's limit. */
    static final long ONNX_LIMIT = Integer.MAX_VALUE - 64;

    private ForeignModels() {
    }

    /** Whether a model argument names a network from elsewhere rather than a Super-Resolve model. */
    public static boolean isForeign(String model) {
        String m = model.trim().toLowerCase(Locale.ROOT);
        if (m.endsWith(".onnx") || m.endsWith(".yaml") || m.endsWith(".yml")) return true;
        if (!m.endsWith(".zip")) return false;
        try (ZipFile z = new ZipFile(model.trim())) {
            return z.getEntry("model-card.json") == null && rdfEntry(z) != null;
        } catch (IOException e) {
            return false; // reported by the model reader
        }
    }

    /**
     * The scale a package says (its rdf.yaml, or its zip) without opening the network, or null (an ONNX
     * file, whose scale is known only once it runs; an unreadable package, reported when it is opened).
     * Reads the description only, within the same bounds as {@link #open}.
     */
    public static Integer scaleOf(String model) {
        try {
            Path p = Paths.get(model.trim());
            String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!lower.endsWith(".zip") && !lower.endsWith(".yaml") && !lower.endsWith(".yml")) return null;
            try (PackageFiles pkg = lower.endsWith(".zip") ? PackageFiles.zip(p) : PackageFiles.folder(p)) {
                int s = Rdf.of(RdfYaml.parse(pkg.description(), pkg.label), pkg.label).scale();
                return s > 0 ? s : null;
            }
        } catch (IOException | RuntimeException e) {
            return null; // reported when the model is run
        }
    }

    /** Opens (or returns the open) network at that path. */
    public static ForeignModel open(String model) {
        Path p = Paths.get(model.trim()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) throw new ModelException("Model file " + Printable.escape(p) + " does not exist: check the path.");
        String key;
        try {
            FileTime t = Files.getLastModifiedTime(p);
            key = p + "|" + t.toMillis() + "|" + Files.size(p);
        } catch (IOException e) {
            throw new ModelException("Model file " + Printable.escape(p) + " cannot be read: check that it is readable.");
        }
        synchronized (OPEN) {
            ForeignModel m = OPEN.get(key);
            if (m != null) return m;
        }
        ForeignModel m = read(p);
        synchronized (OPEN) {
            OPEN.put(key, m);
            while (OPEN.size() > KEEP) {
                // forgotten, not closed: an upscaler made from it may still be running (a comparison of
                // many networks). ONNX Runtime frees a session only when it is closed, so each network
                // opened beyond the last four keeps its weights until the JVM ends.
                var it = OPEN.entrySet().iterator();
                it.next();
                it.remove();
            }
        }
        return m;
    }

    /**
     * The network of an ONNX model, or a sentence when ONNX Runtime cannot run here: its jar is missing (an
     * installation for a platform Super-Resolve has no native code for gets the common files only) or its native
     * library does not load on this computer.
     */
    static OnnxNetwork onnxNetwork(Path file, String name, String source, byte[] onnx, int channels, int radius) {
        try {
            return new OnnxNetwork(name, source, onnx, channels, radius);
        } catch (LinkageError e) {
            throw new ModelException(onnxRuntimeMissing(file, System.getProperty("os.name") + " " + System.getProperty("os.arch"), e));
        }
    }

    static String onnxRuntimeMissing(Path file, String platform, Throwable cause) {
        String why = cause instanceof NoClassDefFoundError ? "ONNX Runtime is not installed for this platform (" + platform + ")"
                : "ONNX Runtime's native library does not load on this computer (" + platform + ": " + cause.getClass().getSimpleName() + ")";
        return "Model file " + Printable.escape(file) + " is an ONNX network, but " + why + ": install Super-Resolve from its update site on this "
                + "computer or unzip the zip made for its platform, then restart; the bundled models and Bicubic/Lanczos do not need ONNX Runtime.";
    }

    private static ForeignModel read(Path p) {
        String file = p.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".onnx")) {
            String name = Printable.escape(file.substring(0, file.length() - 5));
            return new ForeignModel(name, p.toString(), onnxNetwork(p, name, p.toString(), onnxFile(p), 0, -1), null);
        }
        try (PackageFiles pkg = lower.endsWith(".zip") ? PackageFiles.zip(p) : PackageFiles.folder(p)) {
            Rdf rdf = describe(pkg);
            byte[] onnx = pkg.read(rdf.onnxSource(), "its ONNX weights", maxOnnxBytes(), onnxTooLarge(), rdf.onnxSha256());
            OnnxNetwork net = onnxNetwork(p, rdf.name(), pkg.where(rdf.onnxSource()), onnx, rdf.channels(), rdf.radius());
            if (rdf.scale() > 0 && rdf.scale() != net.scale()) {
                net.close();
                throw new ModelException(pkg.label + " says its output is " + rdf.scale() + "x the input, but its network gives " + net.scale() + "x.");
            }
            return new ForeignModel(rdf.name(), p.toString(), net, rdf.normalisation());
        } catch (IOException e) {
            throw new ModelException("Model file " + Printable.escape(p) + " cannot be read: check that it is readable.");
        }
    }

    /**
     * The package's description, parsed and read. Its own checks name what is wrong; anything a
     * description could still get past them (a value of a type no check foresaw) is one sentence too.
     */
    static Rdf describe(PackageFiles pkg) {
        Map<String, Object> d = RdfYaml.parse(pkg.description(), pkg.label);
        try {
            return Rdf.of(d, pkg.label);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | ArithmeticException e) {
            throw new ModelException(pkg.label + " holds a value Super-Resolve cannot read: " + RdfNode.FIX);
        }
    }

    /**
     * The most bytes of ONNX weights read: ONNX's 2 GB, or a third of the Java heap when that is less
     * (the weights are held while ONNX Runtime makes its own copy).
     */
    static long maxOnnxBytes() {
        return Math.min(ONNX_LIMIT, Runtime.getRuntime().maxMemory() / 3);
    }

    /** The end of the sentence for weights over {@link #maxOnnxBytes()}: the limit and what to do. */
    private static String onnxTooLarge() {
        long limit = maxOnnxBytes();
        return limit == ONNX_LIMIT ? "more than the 2 GB ONNX allows: it is not a network Super-Resolve can run."
                : "more than this Java heap (" + BoundedRead.human(Runtime.getRuntime().maxMemory()) + ") can open:"
                + " give Java more memory (JAVA_OPTS=-Xmx8g, or Edit > Options > Memory in Fiji).";
    }

    /** A bare ONNX file, read within {@link #maxOnnxBytes()}. */
    private static byte[] onnxFile(Path p) {
        String shown = Printable.escape(p);
        try {
            long size = Files.size(p), limit = maxOnnxBytes();
            if (size > limit) throw new ModelException(shown + " is " + BoundedRead.human(size) + ", " + onnxTooLarge());
            return PackageFiles.exactly(p, size);
        } catch (BoundedRead.TooLargeException e) {
            throw new ModelException(shown + " grew while it was read: open it again when it is complete.");
        } catch (IOException e) {
            throw new ModelException("Model file " + shown + " cannot be read: check that it is readable.");
        }
    }

    /** The shortest-named description in a zip, or null. */
    static ZipEntry rdfEntry(ZipFile z) {
        ZipEntry best = null;
        for (var en = z.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            String n = e.getName();
            String base = n.substring(n.lastIndexOf('/') + 1);
            if (base.equals("rdf.yaml") || base.endsWith(".rdf.yaml") || base.equals("bioimageio.yaml"))
                if (best == null || n.length() < best.getName().length()) best = e;
        }
        return best;
    }

    /** For tests: closes and forgets every open network. */
    static void closeAll() {
        synchronized (OPEN) {
            for (ForeignModel m : OPEN.values()) m.network().close();
            OPEN.clear();
        }
    }

    static List<String> open() {
        synchronized (OPEN) {
            return List.copyOf(OPEN.keySet());
        }
    }
}
