package io.github.superresolve.spark;

import org.apache.hadoop.fs.RawLocalFileSystem;

import java.net.URI;

/**
 * A file system that is not Hadoop's {@code LocalFileSystem}, for testing what a task does on HDFS or
 * S3 (copy the input to local scratch space, upload the output under a hidden name, rename it):
 * {@code scratch:///path} is the local {@code /path}. Registered with
 * {@code spark.hadoop.fs.scratch.impl}.
 */
public class ScratchFileSystem extends RawLocalFileSystem {

    @Override
    public URI getUri() {
        return URI.create("scratch:///");
    }

    @Override
    public java.io.File pathToFile(org.apache.hadoop.fs.Path path) {
        checkPath(path);
        if (!path.isAbsolute()) path = new org.apache.hadoop.fs.Path(getWorkingDirectory(), path);
        return new java.io.File(path.toUri().getPath());
    }

    /** Plain statuses: RawLocalFileSystem's own read permissions through file: URIs. */
    @Override
    public org.apache.hadoop.fs.FileStatus getFileStatus(org.apache.hadoop.fs.Path f) throws java.io.IOException {
        java.io.File file = pathToFile(f);
        if (!file.exists()) throw new java.io.FileNotFoundException("File " + f + " does not exist");
        return new org.apache.hadoop.fs.FileStatus(file.isDirectory() ? 0 : file.length(), file.isDirectory(), 1, 4096, file.lastModified(),
                makeQualified(f));
    }

    @Override
    public org.apache.hadoop.fs.FileStatus[] listStatus(org.apache.hadoop.fs.Path f) throws java.io.IOException {
        java.io.File file = pathToFile(f);
        if (!file.exists()) throw new java.io.FileNotFoundException("File " + f + " does not exist");
        if (!file.isDirectory()) return new org.apache.hadoop.fs.FileStatus[]{getFileStatus(f)};
        String[] names = file.list();
        java.util.Arrays.sort(names);
        org.apache.hadoop.fs.FileStatus[] r = new org.apache.hadoop.fs.FileStatus[names.length];
        for (int i = 0; i < names.length; i++) r[i] = getFileStatus(new org.apache.hadoop.fs.Path(f, names[i]));
        return r;
    }

    @Override
    public String getScheme() {
        return "scratch";
    }
}
