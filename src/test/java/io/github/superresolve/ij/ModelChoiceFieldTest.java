package io.github.superresolve.ij;

import io.github.superresolve.TestData;
import io.github.superresolve.nn.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The dialog's model list and the scale it sets (the dialog itself is looked at under Xvfb, README). */
class ModelChoiceFieldTest {

    @TempDir
    Path tmp;

    @Test
    void listEndsWithModelFileAndKeepsAFileGivenBefore() {
        assertArrayEquals(new String[]{"srresnet-x4", "lanczos", "bicubic", ModelChoiceField.BROWSE},
                ModelChoiceField.entries(List.of("srresnet-x4", "lanczos", "bicubic"), "lanczos"));
        assertArrayEquals(new String[]{"srresnet-x4", "lanczos", "/data/my model.zip", ModelChoiceField.BROWSE},
                ModelChoiceField.entries(List.of("srresnet-x4", "lanczos"), "/data/my model.zip"));
    }

    @Test
    void scaleOfInstalledModelsAndFiles() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Path x2 = TestData.writeModel(models, "tiny-x2", TestData.tiny(1, 2));
        ModelChoiceField f = new ModelChoiceField(new ModelCatalog(List.of(models)));
        assertEquals(2, f.scaleOf("tiny-x2"));
        assertEquals(2, f.scaleOf(x2.toString()), "a model file's card");
        assertEquals(4, new ModelChoiceField(ModelCatalog.standard()).scaleOf("rgan-x4"), "a two-stage x2 model is x4");
        assertNull(f.scaleOf("lanczos"), "interpolation takes any scale: the field is left alone");
        assertNull(f.scaleOf(ModelChoiceField.BROWSE));
        assertNull(f.scaleOf(tmp.resolve("missing.zip").toString()));
        // a bioimage.io package says its scale (rdf.yaml or its zip); a bare ONNX file does not until it runs
        io.github.superresolve.exchange.BioImageIoExport.export(io.github.superresolve.nn.ModelFile.read(x2), tmp.resolve("pkg"),
                io.github.superresolve.exchange.BioImageIoExport.InputData.UINT16, "MIT", false);
        assertEquals(2, f.scaleOf(tmp.resolve("pkg/rdf.yaml").toString()));
        assertEquals(2, f.scaleOf(tmp.resolve("pkg.zip").toString()));
        assertNull(f.scaleOf(tmp.resolve("pkg/weights.onnx").toString()));
    }
}
