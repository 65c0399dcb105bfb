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
 */
public record ImageTask(String input, String outputFolder, String relativePath, String outputName) implements Serializable {

    /** The input's file name. */
    public String name() {
        int slash = input.lastIndexOf('/');
        return slash < 0 ? input : input.substring(slash + 1);
    }
}
