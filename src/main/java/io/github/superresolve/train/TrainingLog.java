package io.github.superresolve.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV log of a training run: one row per step ({@code step,loss,seconds}, and for adversarial
 * methods {@code mse,adversarial,d_loss,d_accuracy}) and one per validation
 * ({@code step,,,val_psnr,val_ssim,bicubic_psnr,bicubic_ssim}). Rewritten atomically at each
 * checkpoint; a resumed run keeps the rows up to its checkpoint's step.
 */
public final class TrainingLog {

    static final String HEADER = "step,loss,seconds,val_psnr,val_ssim,bicubic_psnr,bicubic_ssim,mse,adversarial,d_loss,d_accuracy";

    /** One row; NaN marks an empty field. */
    public record Row(long step, double loss, double seconds, double valPsnr, double valSsim, double bicubicPsnr,
                      double bicubicSsim, double mse, double adversarial, double dLoss, double dAccuracy) {
        /** A row without adversarial columns. */
        public Row(long step, double loss, double seconds, double valPsnr, double valSsim, double bicubicPsnr, double bicubicSsim) {
            this(step, loss, seconds, valPsnr, valSsim, bicubicPsnr, bicubicSsim, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        String csv() {
            return step + "," + f(loss) + "," + f(seconds) + "," + f(valPsnr) + "," + f(valSsim) + "," + f(bicubicPsnr) + "," + f(bicubicSsim)
                    + "," + f(mse) + "," + f(adversarial) + "," + f(dLoss) + "," + f(dAccuracy);
        }

        private static String f(double v) {
            return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
        }
    }

    private final Path file;
    private final List<Row> rows;

    TrainingLog(Path file, List<Row> rows) {
        this.file = file;
        this.rows = new ArrayList<>(rows);
    }

    void add(Row r) {
        rows.add(r);
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    void flush() throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) b.append(r.csv()).append('\n');
        TrainingRun.writeAtomically(file, b.toString());
    }

    /** Reads a log, keeping rows up to {@code maxStep}; unreadable lines are dropped. */
    public static List<Row> read(Path file, long maxStep) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("step") || line.isBlank()) continue;
            String[] p = line.split(",", -1);
            if (p.length < 7) continue;
            try {
                Row r = p.length >= 11
                        ? new Row(Long.parseLong(p[0]), d(p[1]), d(p[2]), d(p[3]), d(p[4]), d(p[5]), d(p[6]), d(p[7]), d(p[8]), d(p[9]), d(p[10]))
                        : new Row(Long.parseLong(p[0]), d(p[1]), d(p[2]), d(p[3]), d(p[4]), d(p[5]), d(p[6]));
                if (r.step() <= maxStep) rows.add(r);
            } catch (NumberFormatException e) {
                // a damaged line: leave it out
            }
        }
        return rows;
    }

    private static double d(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
