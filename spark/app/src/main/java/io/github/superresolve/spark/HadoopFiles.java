package io.github.superresolve.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The driver's own files (the report, the failure log, a check that the output can be written), through Hadoop's file systems. */
final class HadoopFiles {

    private HadoopFiles() {
    }

    /** The file system of a path; on a local disk the raw one, which leaves no {@code .NAME.crc} files beside the driver's. */
    static FileSystem of(Path p, Configuration hadoop) throws IOException {
        FileSystem fs = p.getFileSystem(hadoop);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    /** Writes text under a hidden temporary name beside the file, then renames it to the file (replacing it). */
    static void writeAtomically(Path p, String text, Configuration hadoop) throws IOException {
        FileSystem fs = of(p, hadoop);
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(p)) fs.delete(p, false);
        if (!fs.rename(tmp, p)) {
            fs.delete(tmp, false);
            throw new IOException("Could not rename " + tmp + " to " + p + ".");
        }
    }

    /**
     * Creates the output folder and a file in it (removed at once), so that an output that cannot be
     * written fails the job before any task starts.
     *
     * @throws JobFailure with a sentence naming the output
     */
    static void checkWritable(String outputUri, Configuration hadoop) throws JobFailure {
        Path out = new Path(outputUri);
        try {
            FileSystem fs = of(out, hadoop);
            if (!fs.mkdirs(out)) throw new IOException("it cannot be created");
            Path probe = new Path(out, ".super-resolve-probe-" + Long.toHexString(System.nanoTime()));
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new JobFailure("The output " + outputUri + " cannot be written (" + JobFailure.describe(e)
                    + "): check its permissions and file system, or give another --output.", e);
        }
    }
}
