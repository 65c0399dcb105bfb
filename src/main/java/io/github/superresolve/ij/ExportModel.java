package io.github.superresolve.ij;

import io.github.superresolve.exchange.BioImageIoExport;
import io.github.superresolve.nn.Model;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.module.MutableModuleItem;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

/**
 * Exports a model as a BioImage Model Zoo package (rdf.yaml, weights.onnx, test tensors, cover,
 * README) into a folder and a zip beside it, for deepImageJ, bioimageio.core, BiaPy or any ONNX
 * runtime; the work is {@link BioImageIoExport}'s. Macro:
 * {@code run("Export Model...", "model=srresnet-x4 output_folder=/tmp/srresnet-x4 format=deepimagej input_data=auto license=[] replace")}
 * ({@code format} is bioimageio, the default, or deepimagej).
 * Parameter names are the macro keys: do not rename them. The folder must be new, empty, or (with
 * Replace) a package Super-Resolve wrote; nothing but the package's own files is written or deleted.
 */
@Plugin(type = Command.class, headless = true, label = "Export Model",
        description = "Writes a Super-Resolve model as a BioImage Model Zoo package (ONNX and PyTorch weights), or as a package for deepImageJ.")
public class ExportModel extends DynamicCommand {

    static final String AUTO = "auto (8-bit for RGB, 16-bit for grey)";

    @Parameter(label = "Model", initializer = "initModel", persist = false, description = "A model name, or the path of a model file")
    private String model;

    @Parameter(label = "Output_folder", style = "save", description = "Folder to create for the package; FOLDER.zip is written beside it")
    private File output_folder;

    /** The format choices, as macros name them (a macro needs a choice's exact text). */
    static final String BIOIMAGEIO = "bioimageio", DEEPIMAGEJ = "deepimagej";

    @Parameter(label = "Format", choices = {BIOIMAGEIO, DEEPIMAGEJ}, persist = false,
            description = "bioimageio: format 0.5 with ONNX and PyTorch weights (bioimage.io, bioimageio.core, BiaPy); deepimagej: format 0.4 with ONNX weights, as deepImageJ reads it")
    private String format = BIOIMAGEIO;

    @Parameter(label = "Input_data", choices = {AUTO, "8-bit", "16-bit"}, persist = false,
            description = "The data the package's pre/postprocessing describe: 8-bit divided by 255, or 16-bit scaled by percentiles")
    private String input_data = AUTO;

    @Parameter(label = "License", required = false, persist = false,
            description = "SPDX identifier (e.g. MIT); empty: the one the model's card states")
    private String license = "";

    @Parameter(label = "Replace", persist = false, description = "Replace a package Super-Resolve wrote there before (any other folder or file is never replaced)")
    private boolean replace;

    @Parameter(type = ItemIO.OUTPUT, label = "Package")
    private String result;

    @Parameter
    private SuperResolveService superResolve;

    @Parameter(required = false)
    private LogService log;

    protected void initModel() {
        MutableModuleItem<String> item = getInfo().getMutableInput("model", String.class);
        if (item != null) item.setChoices(superResolve.catalog().names());
        if (model == null && !superResolve.catalog().names().isEmpty()) model = superResolve.catalog().names().get(0);
    }

    @Override
    public void run() {
        try {
            if (model == null || model.isBlank()) throw new IllegalArgumentException("No model given: choose a model name or a model file.");
            if (output_folder == null) throw new IllegalArgumentException("No output folder given: choose where to write the package.");
            long t0 = System.nanoTime();
            BioImageIoExport.checkTarget(output_folder.toPath(), replace); // refused before the model is loaded
            Model m = superResolve.catalog().load(model.trim());
            BioImageIoExport.InputData data = input_data == null || input_data.startsWith("auto")
                    ? BioImageIoExport.InputData.defaultFor(m.card()) : BioImageIoExport.InputData.parse(input_data);
            BioImageIoExport.Format f = BioImageIoExport.Format.parse(format == null || format.isBlank() ? BIOIMAGEIO : format);
            BioImageIoExport.Result r = BioImageIoExport.export(m, output_folder.toPath(), data, license, replace, f);
            result = String.format(Locale.ROOT, "Exported %s to %s and %s in %.1f s", m.card().name(), r.folder(), r.zip(), (System.nanoTime() - t0) / 1e9);
            if (log != null) log.info(result);
        } catch (IllegalArgumentException e) {
            cancel(e.getMessage().replace("(--replace)", "(tick Replace)")); // the dialog's name for the command line's flag
        } catch (io.github.superresolve.nn.ModelException e) {
            cancel(e.getMessage());
        } catch (IOException e) {
            cancel(e.getMessage()); // a sentence naming the folder
        }
    }

    public String getResult() {
        return result;
    }
}
