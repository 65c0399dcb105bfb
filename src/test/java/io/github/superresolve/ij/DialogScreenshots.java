package io.github.superresolve.ij;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.process.ByteProcessor;

import javax.imageio.ImageIO;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Screenshots of the Fiji dialogs as ImageJ 1.x shows them (the {@link CommandBridge}'s GenericDialogs),
 * for {@code docs/}: each command is opened from its menu entry's bridge, captured once visible, then
 * cancelled. Needs a display: {@code scripts/dialog-screenshots.sh} runs it under xvfb-run.
 * Usage: {@code DialogScreenshots OUT_DIR}.
 */
public final class DialogScreenshots {

    private static final Map<String, Class<?>> COMMANDS = Map.of(
            "super-resolve-image", SuperResolveImage.class,
            "train-on-folder", TrainOnFolder.class,
            "compare-methods", CompareMethods.class,
            "export-model", ExportModel.class);

    private DialogScreenshots() {
    }

    /** Whether a capture shows a dialog: not the empty (black) screen of the virtual display in any corner. */
    static boolean painted(BufferedImage img) {
        int w = img.getWidth() - 1, h = img.getHeight() - 1;
        for (int[] p : new int[][]{{2, 2}, {w - 2, 2}, {2, h - 2}, {w - 2, h - 2}, {w / 2, h / 2}})
            if ((img.getRGB(p[0], p[1]) & 0xffffff) == 0) return false;
        return true;
    }

    /** The GenericDialog showing (other than {@code not}), once one is. */
    static GenericDialog waitForDialog(GenericDialog not) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Thread.sleep(100);
            for (Window w : Window.getWindows()) if (w instanceof GenericDialog g && g != not && g.isShowing()) return g;
        }
        throw new IllegalStateException("No dialog opened.");
    }

    /** Captures a dialog once it stays in place and is painted. */
    static void capture(Robot robot, GenericDialog gd, Path png) throws Exception {
        java.awt.Rectangle bounds = gd.getBounds();
        for (int stable = 0; stable < 5; ) {
            Thread.sleep(200);
            java.awt.Rectangle now = gd.getBounds();
            stable = now.equals(bounds) ? stable + 1 : 0;
            bounds = now;
        }
        java.awt.EventQueue.invokeAndWait(gd::toFront);
        BufferedImage shot = null;
        for (int tries = 0; tries < 40 && (shot == null || !painted(shot)); tries++) { // mapped and painted yet?
            Thread.sleep(250);
            robot.waitForIdle();
            shot = robot.createScreenCapture(new java.awt.Rectangle(gd.getLocationOnScreen(), gd.getSize()));
        }
        if (!painted(shot)) throw new IllegalStateException("The dialog for " + png.getFileName() + " was not painted where it says it is.");
        ImageIO.write(shot, "png", png.toFile());
        System.out.println(png + " (" + shot.getWidth() + "x" + shot.getHeight() + ")");
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Paths.get(args.length > 0 ? args[0] : "docs/dialogs"));
        ImagePlus image = new ImagePlus("cells.tif", new ByteProcessor(128, 128));
        image.show();
        Robot robot = new Robot();
        for (Map.Entry<String, Class<?>> e : new java.util.TreeMap<>(COMMANDS).entrySet()) {
            Thread t = new Thread(() -> new CommandBridge().run(e.getValue().getName()), "dialog " + e.getKey());
            t.setDaemon(true);
            t.start();
            GenericDialog gd = waitForDialog(null);
            capture(robot, gd, out.resolve(e.getKey() + ".png"));
            java.awt.Checkbox advanced = null;
            if (gd.getCheckboxes() != null)
                for (Object c : gd.getCheckboxes())
                    if (((java.awt.Checkbox) c).getLabel().startsWith("Advanced")) advanced = (java.awt.Checkbox) c;
            GenericDialog dialog = gd;
            if (advanced != null) { // tick it, press OK, capture the second step
                java.awt.Checkbox box = advanced;
                GenericDialog first = gd;
                java.awt.EventQueue.invokeAndWait(() -> {
                    box.setState(true);
                    first.actionPerformed(new java.awt.event.ActionEvent(first.getButtons()[0], java.awt.event.ActionEvent.ACTION_PERFORMED, "OK"));
                });
                dialog = waitForDialog(first);
                capture(robot, dialog, out.resolve(e.getKey() + "-advanced.png"));
            }
            GenericDialog last = dialog;
            java.awt.EventQueue.invokeAndWait(() -> last.dispatchEvent(new WindowEvent(last, WindowEvent.WINDOW_CLOSING)));
            t.join(10_000);
        }
        System.exit(0);
    }
}
