package io.github.superresolve.spark;

import io.github.superresolve.image.ImageFiles;
import io.github.superresolve.infer.FileUpscaler;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The driver's list of work: every image file under the input URI (recursively; hidden files and
 * Hadoop's {@code _}-files left out, and anything under the output if it lies inside the input), each
 * with the output it will get: the same relative folder under the output URI and the name
 * {@code upscale} gives. Inputs whose output is already there are counted as skipped without a task,
 * unless outputs are to be overwritten: a rerun after a failure does only what is missing.
 */
public final class ImageListing {

    /** The tasks to run, sorted by relative path, and the inputs skipped because their output exists. */
    public record Result(List<ImageTask> tasks, List<String> skipped) {
    }

    private ImageListing() {
    }

    /**
     * @throws IllegalArgumentException with a sentence naming the input when it does not exist, cannot be
     *                                  listed or holds no images
     */
    public static Result list(String inputUri, String outputUri, FileUpscaler naming, boolean overwrite, Configuration hadoop) {
        Path in = new Path(inputUri), out = new Path(outputUri);
        List<ImageTask> tasks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            FileSystem fs = in.getFileSystem(hadoop);
            if (!fs.exists(in)) throw new IllegalArgumentException("Input " + inputUri + " does not exist.");
            in = fs.makeQualified(in);
            FileSystem outFs = out.getFileSystem(hadoop);
            out = outFs.makeQualified(out);
            FileStatus root = fs.getFileStatus(in);
            Set<String> existing = overwrite ? Set.of() : existingOutputs(outFs, out);
            List<LocatedFileStatus> files = new ArrayList<>();
            if (root.isFile()) {
                files.add(new LocatedFileStatus(root, null));
            } else {
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(in, true);
                String outPrefix = out.toString() + "/";
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    String path = f.getPath().toString();
                    if (path.startsWith(outPrefix)) continue; // the output inside the input
                    if (hiddenBelow(in, f.getPath()) || !ImageFiles.isImageName(f.getPath().getName())) continue;
                    files.add(f);
                }
            }
            for (LocatedFileStatus f : files) {
                String rel = root.isFile() ? f.getPath().getName() : relative(in, f.getPath());
                int slash = rel.lastIndexOf('/');
                String folder = slash < 0 ? "" : rel.substring(0, slash);
                Path outFolder = folder.isEmpty() ? out : new Path(out, folder);
                String outName = naming.expectedOutputName(f.getPath().getName());
                String outRel = folder.isEmpty() ? outName : folder + "/" + outName;
                if (existing.contains(outRel)) skipped.add(rel);
                else tasks.add(new ImageTask(f.getPath().toString(), outFolder.toString(), rel, outName, f.getLen(), f.getModificationTime()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Input " + inputUri + " cannot be listed: " + e.getMessage());
        }
        if (tasks.isEmpty() && skipped.isEmpty())
            throw new IllegalArgumentException("No images found under " + inputUri + ": " + ImageFiles.NO_IMAGES);
        tasks.sort(java.util.Comparator.comparing(ImageTask::relativePath));
        skipped.sort(null);
        return new Result(tasks, skipped);
    }

    /** Whether a file or one of its folders below the root is hidden ({@code .name}) or Hadoop's ({@code _name}). */
    static boolean hiddenBelow(Path root, Path file) {
        for (String part : relative(root, file).split("/"))
            if (part.startsWith(".") || part.startsWith("_")) return true;
        return false;
    }

    static String relative(Path root, Path file) {
        String r = root.toUri().getPath(), f = file.toUri().getPath();
        if (!r.endsWith("/")) r += "/";
        return f.startsWith(r) ? f.substring(r.length()) : file.getName();
    }

    /** Relative paths of the files under the output (none if it does not exist yet). */
    private static Set<String> existingOutputs(FileSystem fs, Path out) throws IOException {
        Set<String> s = new HashSet<>();
        if (!fs.exists(out)) return s;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(out, true);
        while (it.hasNext()) s.add(relative(out, it.next().getPath()));
        return s;
    }
}
