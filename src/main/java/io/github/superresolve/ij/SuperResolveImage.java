package io.github.superresolve.ij;

import ij.ImagePlus;
import io.github.superresolve.infer.ImageUpscaler;
import io.github.superresolve.infer.NetworkUpscaler;
import io.github.superresolve.infer.Progress;
import io.github.superresolve.infer.Upscaler;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.module.MutableModuleItem;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Super-resolves an image with bicubic, Lanczos or a network model. Parameter names are the macro keys
 * ({@code run("Super-Resolve Image...", "model=lanczos scale=2 tile_size=0 ...")}) and are API: do not
 * rename them. No menu path here: the menu entry comes from plugins.config through {@link CommandBridge},
 * so Fiji shows the command once.
 */
@Plugin(type = Command.class, headless = true, label = "Super-Resolve Image",
        description = "Makes an image sharper and larger with a super-resolution network or interpolation.")
public class SuperResolveImage extends DynamicCommand {

    @Parameter(label = "Image")
    private ImagePlus image;

    @Parameter(label = "Model", initializer = "initModel", persist = false,
            description = "bicubic, lanczos, a model name, or the path of a model file")
    private String model;

    @Parameter(label = "Scale", min = "0", max = "16", persist = false, style = "auto=0",
            description = "Upscaling factor; auto (or 0, or left out of a macro) = the model's own (interpolation: 4)")
    private int scale = 0;

    @Parameter(label = "Tile_size", min = "0", max = "4096", persist = false, style = "auto=0",
            description = "Tile size in input pixels (networks); auto (or 0) = chosen from the memory available")
    private int tile_size = NetworkUpscaler.AUTO;

    @Parameter(label = "Overlap", min = "-1", max = "512", persist = false, style = "auto=-1",
            description = "Context around each tile in input pixels; auto (or -1) = the network's receptive radius (exact result)")
    private int overlap = -1;

    @Parameter(label = "Batch_size", min = "1", max = "64", persist = false,
            description = "Tiles per network call")
    private int batch_size = 1;

    @Parameter(label = "Memory_limit_MB", min = "0", max = "1048576", persist = false, style = "auto=0",
            description = "Native memory the network's tiles may hold; auto (or 0) = the least of 1 GB, a quarter of RAM and half the RAM free")
    private int memory_limit_mb = 0;

    @Parameter(label = "Output_bit_depth", choices = {"same", "32-bit"}, persist = false,
            description = "same as the input (rounded and clipped), or 32-bit float")
    private String output_bit_depth = "same";

    @Parameter(label = "Normalization", choices = {"auto", "percentile", "none"}, persist = false,
            description = "auto: type range for 8-bit/RGB, 0.1-99.9 percentiles for 16-bit and float")
    private String normalization = "auto";

    @Parameter(label = "Consistency_map", persist = false,
            description = "Also show where the result disagrees with the input: the result degraded back and fitted in gain and offset "
                    + "(NanoJ-SQUIRREL's RSE and RSP in a Results table, the error map in a second window)")
    private boolean consistency_map = false;

    @Parameter(label = "Degradation", choices = {"bicubic", "box", "gaussian:1.0"}, persist = false, style = "advanced",
            description = "How the consistency check degrades the result back: bicubic (antialiased, what made the models' training inputs), "
                    + "box (area mean), or gaussian:SIGMA then area mean (macros may give any SIGMA, in output pixels)")
    private String degradation = "bicubic";

    @Parameter(type = ItemIO.OUTPUT, label = "Super-resolved image")
    private ImagePlus output;

    @Parameter(type = ItemIO.OUTPUT, label = "Consistency map", required = false)
    private ImagePlus consistency;

    @Parameter(type = ItemIO.OUTPUT, label = ConsistencyTable.TITLE, required = false)
    private ij.measure.ResultsTable consistencyTable;

    @Parameter
    private SuperResolveService superResolve;

    @Parameter(required = false)
    private StatusService status;

    protected void initModel() {
        MutableModuleItem<String> item = getInfo().getMutableInput("model", String.class);
        if (item != null) item.setChoices(superResolve.modelChoices());
        if (model == null) model = superResolve.defaultModel();
    }

    /**
     * User errors (bad input, unknown model, wrong scale) and Cancel end the command as cancelled with
     * a one-sentence reason ({@link #getCancelReason()}), not as an exception with a stack trace.
     */
    @Override
    public void run() {
        try {
            upscale();
        } catch (IllegalArgumentException | io.github.superresolve.nn.ModelException e) {
            cancel(e.getMessage());
        } catch (java.util.concurrent.CancellationException e) {
            cancel("Super-resolution was cancelled.");
        } catch (OutOfMemoryError e) {
            cancel("Not enough memory for image '" + image.getTitle() + "': give ImageJ more memory (Edit > Options > Memory & Threads) or set a smaller Memory_limit_MB.");
        } finally {
            if (status != null) status.clearStatus();
        }
    }

    private void upscale() {
        if (model == null) model = superResolve.defaultModel();
        ImageUpscaler.Options options = new ImageUpscaler.Options(ImageUpscaler.BitDepth.parse(output_bit_depth),
                ImageUpscaler.Normalization.parse(normalization), 0.1, 99.9);
        io.github.superresolve.resolve.ResolvedModel resolved = superResolve.resolver().resolve(model);
        int s = resolved.scaleFor(scale);
        ImageUpscaler.validate(image, s);
        Upscaler up = resolved.upscaler(s, new io.github.superresolve.resolve.Tiling(tile_size, overlap, batch_size,
                memory_limit_mb * io.github.superresolve.infer.MemoryBudget.MB, false));
        if (status != null) status.showStatus("Super-Resolve: " + up.name() + " x" + s + " on " + image.getTitle());
        output = ImageUpscaler.upscale(image, up, options, progress());
        if (consistency_map) {
            if (status != null) status.showStatus("Super-Resolve: consistency of " + output.getTitle() + " with " + image.getTitle());
            io.github.superresolve.consistency.ConsistencyReport report = io.github.superresolve.consistency.ImageConsistency.analyse(image,
                    output, s, new io.github.superresolve.consistency.ImageConsistency.Options(
                            io.github.superresolve.consistency.Degradation.parse(degradation), false));
            consistency = report.map();
            consistencyTable = ConsistencyTable.append(report, up.name());
        }
    }

    private Progress progress() {
        return new Progress() {
            @Override
            public void report(long done, long total) {
                if (status != null) status.showProgress((int) Math.min(Integer.MAX_VALUE, done), (int) Math.min(Integer.MAX_VALUE, total));
            }

            @Override
            public boolean isCancelled() {
                return SuperResolveImage.this.isCanceled() || Thread.currentThread().isInterrupted();
            }
        };
    }

    public ImagePlus getOutput() {
        return output;
    }

    /** The error map of the consistency check, or null when it was not asked for. */
    public ImagePlus getConsistency() {
        return consistency;
    }
}
