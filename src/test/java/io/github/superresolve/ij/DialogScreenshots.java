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
    private static final Map<String, String> TITLES = Map.of(
            "super-resolve-image", "Super-Resolve Image",
            "train-on-folder", "Train on Folder",
            "compare-methods", "Compare Methods",
            "export-model", "Export Model");

    private DialogScreenshots() {
    }

    /** Whether a capture shows a dialog: not the empty (black) screen of the virtual display in any corner. */
    static boolean painted(BufferedImage img) {
        int w = img.getWidth() - 1, h = img.getHeight() - 1;
        for (int[] p : new int[][]{{2, 2}, {w - 2, 2}, {2, h - 2}, {w - 2, h - 2}})
            if ((img.getRGB(p[0], p[1]) & 0xffffff) == 0) return false;
        return true;
    }

    /** The GenericDialog showing whose title starts with {@code title}, once one is. */
    static GenericDialog waitForDialog(String title) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Thread.sleep(100);
            for (Window w : Window.getWindows())
                if (w instanceof GenericDialog g && g.isShowing() && g.getTitle().startsWith(title)) return g;
        }
        throw new IllegalStateException("No dialog titled " + title + " opened.");
    }

    /** Closes a dialog as its window's close box does, and waits until it is gone. */
    static void close(GenericDialog g) throws Exception {
        java.awt.EventQueue.invokeAndWait(() -> g.dispatchEvent(new WindowEvent(g, WindowEvent.WINDOW_CLOSING)));
        for (int i = 0; i < 100 && g.isShowing(); i++) Thread.sleep(50);
    }

    /** The button of a dialog with that label, or null. */
    static java.awt.Button button(java.awt.Container c, String label) {
        for (java.awt.Component k : c.getComponents()) {
            if (k instanceof java.awt.Button b && label.equals(b.getLabel())) return b;
            if (k instanceof java.awt.Container inner) {
                java.awt.Button b = button(inner, label);
                if (b != null) return b;
            }
        }
        return null;
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
        for (int tries = 0; tries < 80 && (shot == null || !painted(shot)); tries++) { // mapped and painted yet?
            Thread.sleep(250);
            robot.waitForIdle();
            shot = robot.createScreenCapture(new java.awt.Rectangle(gd.getLocationOnScreen(), gd.getSize()));
        }
        if (!painted(shot)) { // the virtual display did not show it in time: let the dialog paint itself off-screen
            BufferedImage own = new BufferedImage(gd.getWidth(), gd.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = own.createGraphics();
            java.awt.EventQueue.invokeAndWait(() -> gd.printAll(g));
            g.dispose();
            shot = own;
            System.out.println("(" + png.getFileName() + " painted off-screen)");
        }
        ImageIO.write(shot, "png", png.toFile());
        System.out.println(png + " (" + shot.getWidth() + "x" + shot.getHeight() + ")");
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Paths.get(args.length > 0 ? args[0] : "docs/dialogs"));
        ImagePlus image = new ImagePlus("cells.tif", new ByteProcessor(128, 128));
        image.show();
        Robot robot = new Robot();
        // in this order: the methods picker (opened from the event thread) last
        for (String key : java.util.List.of("super-resolve-image", "train-on-folder", "export-model", "compare-methods")) {
            Map.Entry<String, Class<?>> e = Map.entry(key, COMMANDS.get(key));
            Thread t = new Thread(() -> new CommandBridge().run(e.getValue().getName()), "dialog " + e.getKey());
            t.setDaemon(true);
            t.start();
            GenericDialog gd = waitForDialog(TITLES.get(e.getKey()));
            capture(robot, gd, out.resolve(e.getKey() + ".png"));
            java.awt.Checkbox advanced = null;
            if (gd.getCheckboxes() != null)
                for (Object c : gd.getCheckboxes())
                    if (((java.awt.Checkbox) c).getLabel().startsWith("Advanced")) advanced = (java.awt.Checkbox) c;
            java.awt.Button choose = button(gd, "Choose methods...");
            if (choose != null) { // the methods picker behind the button
                java.awt.event.ActionEvent press = new java.awt.event.ActionEvent(choose, java.awt.event.ActionEvent.ACTION_PERFORMED, "Choose methods...");
                java.awt.EventQueue.invokeLater(() -> {
                    for (java.awt.event.ActionListener l : choose.getActionListeners()) l.actionPerformed(press);
                });
                GenericDialog picker = waitForDialog("Methods to compare");
                capture(robot, picker, out.resolve(e.getKey() + "-methods.png"));
                close(picker);
            }
            GenericDialog dialog = gd;
            if (advanced != null) { // tick it, press OK, capture the second step
                java.awt.Checkbox box = advanced;
                GenericDialog first = gd;
                java.awt.EventQueue.invokeAndWait(() -> {
                    box.setState(true);
                    first.actionPerformed(new java.awt.event.ActionEvent(first.getButtons()[0], java.awt.event.ActionEvent.ACTION_PERFORMED, "OK"));
                });
                dialog = waitForDialog(TITLES.get(e.getKey()) + ": advanced");
                capture(robot, dialog, out.resolve(e.getKey() + "-advanced.png"));
            }
            close(dialog);
            t.join(10_000);
        }
        System.exit(0);
    }
}
