package io.github.superresolve.exchange;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.superresolve.nn.ModelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 */
public final class ForeignModels {

    private static final Map<String, ForeignModel> OPEN = new LinkedHashMap<>(4, 0.75f, true);
    private static final int KEEP = 4;
    /** Largest file read: ONNX weights of 2 GB are protobuf's limit. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

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
     * file, whose scale is known only once it runs; an unreadable package).
     */
    public static Integer scaleOf(String model) {
        try {
            Path p = Paths.get(model.trim());
            String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
            Map<String, Object> d;
            if (lower.endsWith(".zip")) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    ZipEntry rdf = rdfEntry(z);
                    if (rdf == null) return null;
                    d = parse(new String(z.getInputStream(rdf).readAllBytes(), StandardCharsets.UTF_8), p.toString());
                }
            } else if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                d = parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
            } else {
                return null;
            }
            int s = Rdf.of(d, p.toString()).scale();
            return s > 0 ? s : null;
        } catch (IOException | RuntimeException e) {
            return null; // reported when the model is run
        }
    }

    /** Opens (or returns the open) network at that path. */
    public static ForeignModel open(String model) {
        Path p = Paths.get(model.trim()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) throw new ModelException("Model file " + p + " does not exist: check the path.");
        String key;
        try {
            FileTime t = Files.getLastModifiedTime(p);
            key = p + "|" + t.toMillis() + "|" + Files.size(p);
        } catch (IOException e) {
            throw new ModelException("Model file " + p + " cannot be read (" + e.getMessage() + ").");
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

    private static ForeignModel read(Path p) {
        String file = p.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".onnx")) {
                String name = file.substring(0, file.length() - 5);
                return new ForeignModel(name, p.toString(), new OnnxNetwork(name, p.toString(), bytes(p), 0, -1), null);
            }
            if (lower.endsWith(".zip")) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    ZipEntry rdf = rdfEntry(z);
                    if (rdf == null) throw new ModelException(p + " holds no rdf.yaml: it is not a bioimage.io package.");
                    String dir = rdf.getName().contains("/") ? rdf.getName().substring(0, rdf.getName().lastIndexOf('/') + 1) : "";
                    Map<String, Object> d = parse(new String(z.getInputStream(rdf).readAllBytes(), StandardCharsets.UTF_8), p + "!" + rdf.getName());
                    return fromRdf(d, p.toString(), src -> {
                        ZipEntry e = z.getEntry(dir + src);
                        if (e == null) throw new ModelException("The package " + p + " names " + src + " as its ONNX weights, but does not hold it.");
                        if (e.getSize() > MAX_BYTES) throw new ModelException(src + " in " + p + " is larger than 2 GB, more than ONNX allows.");
                        return z.getInputStream(e).readAllBytes();
                    });
                }
            }
            Map<String, Object> d = parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
            return fromRdf(d, p.toString(), src -> {
                Path w = p.resolveSibling(src).normalize();
                if (!Files.isRegularFile(w)) throw new ModelException("The package " + p + " names " + src + " as its ONNX weights, but " + w + " does not exist.");
                return bytes(w);
            });
        } catch (IOException e) {
            throw new ModelException("Model file " + p + " cannot be read (" + e.getMessage() + ").");
        }
    }

    /** Reads a file a package names (beside its rdf.yaml, or in its zip). */
    private interface Source {
        byte[] read(String name) throws IOException;
    }

    private static ForeignModel fromRdf(Map<String, Object> d, String source, Source files) throws IOException {
        Rdf rdf = Rdf.of(d, source);
        String onnx = rdf.onnxSource();
        OnnxNetwork net = new OnnxNetwork(rdf.name(), files.read(onnx), rdf.channels(), rdf.radius());
        if (rdf.scale() > 0 && rdf.scale() != net.scale())
            throw new ModelException(source + " says its output is " + rdf.scale() + "x the input, but its network gives " + net.scale() + "x.");
        return new ForeignModel(rdf.name(), source, net, rdf.normalisation());
    }

    private static ZipEntry rdfEntry(ZipFile z) {
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

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml, String source) {
        try {
            Object o = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
            if (!(o instanceof Map)) throw new ModelException(source + " is not a model description (rdf.yaml holds no mapping).");
            return (Map<String, Object>) o;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ModelException(source + " is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    private static byte[] bytes(Path p) throws IOException {
        if (Files.size(p) > MAX_BYTES) throw new ModelException(p + " is larger than 2 GB, more than ONNX allows.");
        return Files.readAllBytes(p);
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
