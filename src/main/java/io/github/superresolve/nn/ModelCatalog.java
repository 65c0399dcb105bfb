package io.github.superresolve.nn;

import io.github.superresolve.io.Printable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Finds models by name and keeps loaded ones. Places searched, first match wins:
 * <ol>
 * <li>folders in the {@code SUPER_RESOLVE_MODELS} environment variable or the
 * {@code superresolve.models} system property (path-separated);</li>
 * <li>{@code Fiji.app/models/super-resolve/} (from the {@code ij.dir}, {@code imagej.dir},
 * {@code fiji.dir} or, for ImageJ 1.x started with {@code -ijpath}, {@code plugins.dir} property);</li>
 * <li>{@code models/} inside the plugin's jar (or class folder).</li>
 * </ol>
 * A name may also be a path to a model file. A model is read once per catalog: a macro over 2,000
 * images loads it once.
 *
 * <p>One bad file does not take the others with it: a {@code .zip} in a models folder that is not a
 * readable model (damaged, hostile, or not a model at all) is left out of the list and recorded in
 * {@link #skipped()}, the file and why in one sentence, which front ends show once (the CLI on standard
 * error, Fiji in its log); every other model stays available. Listing reads only each file's card,
 * bounded ({@link ModelZip}: at most 1 MB counted while inflating, no duplicate entries, values within
 * limits); the parameters are checked when a model is loaded ({@link ModelFile}). Nothing here prints.
 */
public final class ModelCatalog {

    /** Where a model lives. */
    public record Entry(String name, String location, ModelCard card) {
    }

    /**
     * A file of a models folder left out of the list.
     *
     * @param file   the file as shown (control characters escaped)
     * @param reason what is wrong with it, a clause such as "its model-card.json holds more than 1 MB"
     */
    public record Skipped(String file, String reason) {
        /** One sentence for the user naming the file and why it is not listed. */
        public String warning() {
            return "Model file " + file + " is left out of the model list: " + reason + " (remove or replace it).";
        }
    }

    private final List<Path> folders;
    /**
     * Models kept after loading, least recently used first, at most {@link #cacheBytes} of weights in
     * all (a model's parameters and its generator's copy of them are native memory): a Fiji session
     * that tries many model files keeps the recent ones, not all of them.
     */
    private final LinkedHashMap<String, Model> loaded = new LinkedHashMap<>(16, 0.75f, true);
    private long cacheBytes = DEFAULT_CACHE_BYTES;

    /** Weights kept loaded by default: ~20 of the shipped x4 models. */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;
    private volatile Map<String, Entry> index;
    private volatile List<Skipped> skipped = List.of();

    public ModelCatalog(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** The standard search path described above. */
    public static ModelCatalog standard() {
        List<Path> dirs = new ArrayList<>();
        for (String spec : new String[]{System.getenv("SUPER_RESOLVE_MODELS"), System.getProperty("superresolve.models")})
            if (spec != null)
                for (String s : spec.split(java.io.File.pathSeparator)) if (!s.isBlank()) dirs.add(Paths.get(s));
        // Fiji's launcher sets ij.dir; ImageJ 1.x started with -ijpath DIR sets plugins.dir to DIR
        for (String prop : new String[]{"ij.dir", "imagej.dir", "fiji.dir", "plugins.dir"}) {
            String d = System.getProperty(prop);
            if (d != null) dirs.add(Paths.get(d, "models", "super-resolve"));
        }
        return new ModelCatalog(dirs);
    }

    /** All models found, by name (first occurrence wins). */
    public synchronized Map<String, Entry> entries() {
        if (index != null) return index;
        Map<String, Entry> m = new LinkedHashMap<>();
        List<Skipped> bad = new ArrayList<>();
        for (Path d : folders) {
            if (!Files.isDirectory(d)) continue;
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "*.zip")) {
                ds.forEach(files::add);
            } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
                // unreadable folder: what was listed before the failure
            }
            files.sort(null);
            for (Path f : files) {
                if (Files.isDirectory(f)) continue;
                try (ModelZip z = ModelZip.open(f)) {
                    m.putIfAbsent(z.card().name(), new Entry(z.card().name(), f.toString(), z.card()));
                } catch (BadModelFile e) {
                    bad.add(new Skipped(e.file(), e.reason()));
                } catch (RuntimeException e) {
                    bad.add(new Skipped(Printable.escape(f), "it cannot be read"));
                }
            }
        }
        for (Map.Entry<String, String> e : bundled().entrySet()) {
            try {
                ModelCard c = bundledCard(e.getValue());
                if (c != null) m.putIfAbsent(c.name(), new Entry(c.name(), "classpath:" + e.getValue(), c));
            } catch (BadModelFile b) {
                bad.add(new Skipped(b.file(), b.reason()));
            }
        }
        skipped = List.copyOf(bad);
        index = m;
        return m;
    }

    /**
     * The files of the models folders left out of {@link #entries()}, each with why, in folder and name
     * order (reads the folders if not done yet). Empty when every file is a readable model.
     */
    public List<Skipped> skipped() {
        entries();
        return skipped;
    }

    /** Names of available models. */
    public List<String> names() {
        return new ArrayList<>(entries().keySet());
    }

    /**
     * The model of that name, or at that path; read on first use and then kept.
     *
     * @throws ModelException with a sentence for the user if it is not found or damaged
     */
    public Model load(String nameOrPath) {
        synchronized (loaded) {
            Model m = loaded.get(nameOrPath);
            if (m != null) return m;
        }
        NativeBackend.init(); // one sentence if networks cannot run on this platform
        Entry e = entries().get(nameOrPath);
        Model model;
        if (e != null) {
            model = readLocation(e.location());
        } else if (nameOrPath.endsWith(".zip") || nameOrPath.contains("/") || nameOrPath.contains(java.io.File.separator)) {
            model = ModelFile.read(Paths.get(nameOrPath));
        } else {
            throw new ModelException("No model named '" + Printable.escape(nameOrPath) + "': choose one of "
                    + Printable.escape(String.join(", ", choicesFor())) + ", or give the path of a model file.");
        }
        synchronized (loaded) {
            Model old = loaded.putIfAbsent(nameOrPath, model);
            if (old != null) return old; // loaded meanwhile by another thread
            evictOver(cacheBytes);
        }
        return model;
    }

    /**
     * Bytes of native weights a loaded model holds: its parameters, shared with its generators, plus a
     * folded copy for batch-norm models (the fused output layer's few kilobytes are not counted).
     */
    static long weightBytes(Model m) {
        long bytes = m.parameterCount() * 4;
        return m.card().config().batchNorm() ? 2 * bytes : bytes;
    }

    /** Native bytes of the weights kept loaded now (at most the cache size, see {@link #setCacheBytes}). */
    public long cachedWeightBytes() {
        synchronized (loaded) {
            long total = 0;
            for (Model m : loaded.values()) total += weightBytes(m);
            return total;
        }
    }

    /** Sets the weight bytes kept loaded (the most recently used model is always kept). */
    public void setCacheBytes(long bytes) {
        synchronized (loaded) {
            cacheBytes = bytes;
            evictOver(bytes);
        }
    }

    /** Names (or paths) of the models kept loaded, least recently used first. */
    public List<String> loadedNames() {
        synchronized (loaded) {
            return new ArrayList<>(loaded.keySet());
        }
    }

    private void evictOver(long limit) {
        long total = 0;
        for (Model m : loaded.values()) total += weightBytes(m);
        java.util.Iterator<Map.Entry<String, Model>> it = loaded.entrySet().iterator();
        while (total > limit && loaded.size() > 1 && it.hasNext()) {
            Model m = it.next().getValue();
            it.remove();
            total -= weightBytes(m);
            m.release();
        }
    }

    private List<String> choicesFor() {
        List<String> l = new ArrayList<>(List.of("bicubic", "lanczos"));
        l.addAll(names());
        return l;
    }

    private static Model readLocation(String location) {
        if (location.startsWith("classpath:")) {
            String res = location.substring("classpath:".length());
            try (InputStream in = ModelCatalog.class.getClassLoader().getResourceAsStream(res)) {
                if (in == null) throw new ModelException("Bundled model " + res + " is missing from the plugin: reinstall Super-Resolve.");
                return ModelFile.read(in, res);
            } catch (IOException ex) {
                throw new ModelException("Bundled model " + res + " cannot be read (" + ex.getMessage() + "): reinstall Super-Resolve.", ex);
            }
        }
        return ModelFile.read(Paths.get(location));
    }

    /**
     * The card of a model file, without reading its weights (the card at most 1 MB, see {@link ModelZip});
     * null if the file is not a readable model.
     */
    public static ModelCard cardOf(Path file) {
        try (ModelZip z = ModelZip.open(file)) {
            return z.card();
        } catch (ModelException ex) {
            return null; // not a model: listed nowhere, reported when named explicitly
        }
    }

    /** The card of a model bundled in the jar, read at most 1 MB; null if the resource is missing; {@link BadModelFile} if it is bad. */
    private static ModelCard bundledCard(String resource) {
        try (InputStream in = ModelCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return null;
            try (ZipInputStream z = new ZipInputStream(in)) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null)
                    if (e.getName().equals(ModelFile.CARD)) return ModelZip.card(z, "classpath:" + resource);
            }
        } catch (IOException ex) {
            throw ModelZip.damagedCard("classpath:" + resource);
        }
        throw ModelZip.noCard("classpath:" + resource);
    }

    /** Resources {@code models/*.zip} in this plugin's jar or class folder: file name -> resource path. */
    static Map<String, String> bundled() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            Path loc = Paths.get(ModelCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(loc)) {
                Path d = loc.resolve("models");
                if (Files.isDirectory(d))
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "*.zip")) {
                        List<Path> files = new ArrayList<>();
                        ds.forEach(files::add);
                        files.sort(null);
                        for (Path f : files) m.put(f.getFileName().toString(), "models/" + f.getFileName());
                    }
            } else if (Files.isRegularFile(loc)) {
                try (ZipFile z = new ZipFile(loc.toFile())) {
                    z.stream().map(ZipEntry::getName).filter(n -> n.startsWith("models/") && n.endsWith(".zip")).sorted()
                            .forEach(n -> m.put(n.substring(7), n));
                }
            }
        } catch (IOException | URISyntaxException | SecurityException | NullPointerException e) {
            // no listing possible: no bundled models
        }
        return m;
    }
}
