package io.github.superresolve.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Test access to {@link ImageJTool#writeMenuJar}. */
public final class ImageJToolAccess {
    private ImageJToolAccess() {
    }

    public static Path writeMenuJar(Path pluginsDir) throws IOException {
        return ImageJTool.writeMenuJar(pluginsDir);
    }
}
