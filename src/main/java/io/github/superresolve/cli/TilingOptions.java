package io.github.superresolve.cli;

import io.github.superresolve.infer.MemoryBudget;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.resolve.Tiling;
import picocli.CommandLine.Option;

/** How a network's input is cut into tiles: {@code --tile}, {@code --overlap}, {@code --batch}, {@code --memory}. */
final class TilingOptions {

    @Option(names = "--tile", paramLabel = "N|auto", defaultValue = "auto",
            description = "Tile side in input pixels; auto: the largest that fits --memory. Default: ${DEFAULT-VALUE}.")
    String tile;

    @Option(names = "--overlap", paramLabel = "N", defaultValue = "-1",
            description = "Overlap of neighbouring tiles in input pixels; -1: the network's receptive radius. Default: ${DEFAULT-VALUE}.")
    int overlap;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Tiles run together. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--memory", paramLabel = "SIZE|auto", defaultValue = "auto", description = {
            "Memory a network may hold (e.g. 800M, 2G); auto: the least of 1 GB, 1/4 of RAM and 1/2 of the RAM free.",
            "When memory runs out anyway the image is restarted with smaller tiles. Default: ${DEFAULT-VALUE}."})
    String memory;

    /** The tiling asked for. */
    Tiling tiling() {
        int side;
        if (tile == null || tile.trim().equalsIgnoreCase("auto")) {
            side = NetworkUpscaler.AUTO;
        } else {
            try {
                side = Integer.parseInt(tile.trim());
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--tile must be a whole number or auto, not '" + tile + "'.");
            }
        }
        long bytes;
        try {
            bytes = MemoryBudget.parse(memory);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        return new Tiling(side, overlap, batch, bytes, false);
    }
}
