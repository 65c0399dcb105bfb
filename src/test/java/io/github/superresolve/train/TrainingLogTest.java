package io.github.superresolve.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The training log: what is written reads back, a resumed run keeps rows up to its step, damage is skipped. */
public class TrainingLogTest {

    @Test
    void rowsReadBackUpToTheResumedStep(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("m.log.csv");
        TrainingLog log = new TrainingLog(f, List.of());
        log.add(new TrainingLog.Row(1, 0.5, 1.25, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        log.add(new TrainingLog.Row(2, 0.25, 2.5, 30.5, 0.9, 29.75, 0.875));
        log.add(new TrainingLog.Row(3, 0.125, 3.75, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.01, 0.7, 1.3, 0.5));
        log.flush();
        List<String> lines = Files.readAllLines(f);
        assertEquals(TrainingLog.HEADER, lines.get(0));
        assertEquals("1,0.500000,1.25000,,,,,,,,", lines.get(1));
        assertEquals(log.rows(), TrainingLog.read(f, 3));
        assertEquals(log.rows().subList(0, 2), TrainingLog.read(f, 2), "rows after the checkpoint's step are dropped");
        assertEquals(List.of(), TrainingLog.read(f, 0));
        TrainingLog.Row r = TrainingLog.read(f, 3).get(2);
        assertEquals(0.7, r.adversarial());
        assertEquals(0.5, r.dAccuracy());
        assertTrue(Double.isNaN(r.valPsnr()));
    }

    @Test
    void oldSevenColumnLogsAndDamagedLinesAreRead(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("old.log.csv");
        Files.writeString(f, "step,loss,seconds,val_psnr,val_ssim,bicubic_psnr,bicubic_ssim\n"
                + "5,0.1,2,,,,\n"
                + "\n"
                + "x,1,2,3,4,5,6\n" // damaged: no step
                + "6,0.2\n" // cut short
                + "7,0.3,4,31,0.91,30,0.9\n");
        List<TrainingLog.Row> rows = TrainingLog.read(f, 100);
        assertEquals(2, rows.size());
        assertEquals(5, rows.get(0).step());
        assertEquals(0.1, rows.get(0).loss());
        assertEquals(31, rows.get(1).valPsnr());
        assertTrue(Double.isNaN(rows.get(1).mse()), "no adversarial columns in an old log");
    }
}
