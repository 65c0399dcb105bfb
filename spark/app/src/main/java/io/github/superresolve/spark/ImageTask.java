package io.github.superresolve.spark;

import java.io.Serializable;

/**
 * One input image of a job: where it is, and where its output goes (the output root, the input's
 * folder relative to the input root, and the output's expected name).
 *
 * @param input        the image's URI (any Hadoop file system)
 * @param outputFolder URI of the folder its output goes to (the output root plus the input's relative folder)
 * @param relativePath the input's path relative to the input root, for messages and the report
 * @param outputName   the output's name as {@code upscale} would choose it
 * @param size         the input's length in bytes when listed (to tell a fixed input from one that failed before)
 * @param modified     the input's modification time when listed, in milliseconds since 1970
 */
public record ImageTask(String input, String outputFolder, String relativePath, String outputName, long size, long modified)
        implements Serializable {

    /** A task whose input's size and modification time are not known. */
    public ImageTask(String input, String outputFolder, String relativePath, String outputName) {
        this(input, outputFolder, relativePath, outputName, -1, -1);
    }

    /** The input's file name. */
    public String name() {
        int slash = input.lastIndexOf('/');
        return slash < 0 ? input : input.substring(slash + 1);
    }
}
