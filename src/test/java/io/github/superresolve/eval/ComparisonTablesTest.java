package io.github.superresolve.eval;

import io.github.superresolve.metrics.Scores;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The study's table, the per-image table and the CSV, character for character. */
public class ComparisonTablesTest {

    private static final List<Comparison.Row> ROWS = List.of(
            new Comparison.Row("bicubic", 2, 81.234, 29.035, 0.87654, 3, Double.NaN),
            new Comparison.Row("srresnet-x2", 2, 52.5, 30.93, 0.91, 3, Double.NaN),
            new Comparison.Row("bicubic", 4, 240.1, 24.33, 0.7, 3, Double.NaN));

    @Test
    void table1HasMethodsAsColumnsAndMetricsPerScaleAsRows() {
        String t = ComparisonTables.table1(ROWS, "0-255");
        assertEquals(String.join("\n",
                "| scale | metric      | bicubic | srresnet-x2 |",
                "|-------|-------------|---------|-------------|",
                "| x2    | MSE (0-255) |   81.23 |       52.50 |",
                "| x2    | PSNR (dB)   |   29.04 |       30.93 |",
                "| x2    | SSIM        |  0.8765 |      0.9100 |",
                "| x4    | MSE (0-255) |  240.10 |           - |",
                "| x4    | PSNR (dB)   |   24.33 |           - |",
                "| x4    | SSIM        |  0.7000 |           - |", ""), t);
        String noUnit = ComparisonTables.table1(ROWS.subList(0, 1), "");
        assertTrue(noUnit.contains("| x2    | MSE       |   81.23 |"), noUnit);
        assertFalse(noUnit.contains("HF power"));
        String hf = ComparisonTables.table1(List.of(new Comparison.Row("m", 2, 1, Double.POSITIVE_INFINITY, 1, 1, 0.8125)), "");
        assertTrue(hf.contains("| x2    | HF power vs truth |  0.813 |"), hf);
        assertTrue(hf.contains("| x2    | PSNR (dB)         |    inf |"), hf);
    }

    private static Comparison.ImageScore score(String image, String method, int scale, double mse, double psnr, double ssim) {
        return new Comparison.ImageScore(image, method, scale, new Scores(mse, psnr, ssim, List.of(), 255));
    }

    @Test
    void perImageTableAndCsvListEveryImage() {
        List<Comparison.ImageScore> scores = List.of(
                score("a.png", "bicubic", 2, 10, 38.1234, 0.95),
                score("a.png", "srresnet-x2", 2, 8, 39.0, 0.96),
                score("b, \"odd\".png", "bicubic", 2, 20, 35.0, 0.9),
                score("a.png", "bicubic", 4, 40, 30.0, 0.8));
        assertEquals(String.join("\n",
                "| image (x2, PSNR dB / SSIM) |        bicubic |    srresnet-x2 |",
                "|----------------------------|----------------|----------------|",
                "| a.png                      | 38.12 / 0.9500 | 39.00 / 0.9600 |",
                "| b, \"odd\".png               | 35.00 / 0.9000 |              - |", ""),
                ComparisonTables.perImage(scores, 2));
        String csv = ComparisonTables.csv(scores, ROWS.subList(0, 1));
        assertEquals(String.join("\n",
                ComparisonTables.CSV_HEADER,
                "a.png,bicubic,2,10.0000,38.1234,0.950000,,,",
                "a.png,srresnet-x2,2,8.0000,39.0000,0.960000,,,",
                "\"b, \"\"odd\"\".png\",bicubic,2,20.0000,35.0000,0.900000,,,",
                "a.png,bicubic,4,40.0000,30.0000,0.800000,,,",
                "mean,bicubic,2,81.2340,29.0350,0.876540,,,", ""), csv);
        assertTrue(ComparisonTables.csv(List.of(), List.of(new Comparison.Row("srgan-x4", 4, 120.5, 27.3, 0.79, 6, 0.05321)))
                .endsWith("mean,srgan-x4,4,120.5000,27.3000,0.790000,,,0.0532\n"), "a mean row carries the fine-detail measure of --spectrum");
        assertEquals("x,m,,1.0000,inf,1.000000,,,\n", ComparisonTables.csvLine("x", "m", "", 1, Double.POSITIVE_INFINITY, 1));
        assertEquals("x,m,4,,,,2.5000,0.998000,\n", ComparisonTables.csvLine("x", "m", "4", Double.NaN, Double.NaN, Double.NaN, 2.5, 0.998));
    }

    /** Consistency rows appear when measured; without ground truth they are the only rows. */
    @Test
    void consistencyRowsAndATableWithoutGroundTruth() {
        List<Comparison.Row> rows = List.of(new Comparison.Row("bicubic", 2, 81.2, 29.0, 0.87, 3, Double.NaN, 1.9, 0.9983),
                new Comparison.Row("srresnet-x2", 2, 52.5, 30.9, 0.91, 3, Double.NaN, 0.49, 0.9999));
        String t = ComparisonTables.table1(rows, "");
        assertTrue(t.contains("| RSE vs input |") && t.contains("1.90") && t.contains("0.9999"), t);
        assertTrue(t.contains("PSNR (dB)"), t);
        List<Comparison.Row> own = List.of(new Comparison.Row("bicubic", 4, Double.NaN, Double.NaN, Double.NaN, 2, Double.NaN, 1.9, 0.9983));
        String o = ComparisonTables.table1(own, "");
        assertFalse(o.contains("PSNR"), "no ground truth, no PSNR row: " + o);
        assertTrue(o.contains("RSP vs input"), o);
    }
}
