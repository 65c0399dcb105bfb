package io.github.superresolve.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fuzz tests' hostile files, each run through the command-line tool in a JVM of its own under GNU
 * time (as a user runs {@code bin/super-resolve}): exit code, wall time and peak resident memory per
 * case, then the worst per family. {@code benchmarks/hostile-files.sh} runs it; the figures are for
 * the README's reliability section and the notes, never for assertions.
 *
 * <p>Usage: {@code HostileBench WORKDIR [FAMILY...]} with this JVM's class path (test classes included).
 */
public final class HostileBench {

    /** Every fuzz test that writes its cases with a static {@code cases(Path)}. */
    static final String[] GENERATORS = {"OnnxFuzzTest", "NamesFuzzTest", "PackageFuzzTest", "ExportFuzzTest",
            "ModelZipFuzzTest", "NpyFuzzTest", "ImageFuzzTest"};

    private HostileBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/hostile-bench");
        List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Files.createDirectories(work);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String heap = System.getProperty("hostile.heap", "-Xmx4g");
        Map<String, double[]> worst = new LinkedHashMap<>(); // family -> cases, seconds, MB
        System.out.println("family | case | exit | wall s | peak RSS MB | first line of stderr");
        for (String g : GENERATORS) {
            Class<?> c;
            try {
                c = Class.forName(HostileBench.class.getPackageName() + "." + g);
            } catch (ClassNotFoundException e) {
                continue;
            }
            Path dir = Files.createDirectories(work.resolve(g));
            var generator = c.getDeclaredMethod("cases", Path.class);
            generator.setAccessible(true);
            @SuppressWarnings("unchecked")
            List<HostileCase> cases = (List<HostileCase>) generator.invoke(null, dir);
            for (HostileCase hc : cases) {
                if (!only.isEmpty() && !only.contains(hc.family())) continue;
                List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %M", java, heap, "-Djava.awt.headless=true"));
                hc.properties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.github.superresolve.cli.Main"));
                cmd.addAll(hc.args());
                Path err = dir.resolve("stderr.txt");
                Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                int code = p.waitFor();
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                String time = lines.stream().filter(l -> l.startsWith("TIME ")).reduce((a, b) -> b).orElse("TIME 0 0");
                String[] t = time.split(" ");
                double sec = Double.parseDouble(t[1]), mb = Long.parseLong(t[2]) / 1024.0;
                String first = lines.stream().filter(l -> !l.startsWith("TIME ") && !l.startsWith("Command exited")).findFirst().orElse("");
                System.out.printf(Locale.ROOT, "%s | %s | %d | %.2f | %.0f | %s%n", hc.family(), hc.name(), code, sec, mb,
                        first.length() > 160 ? first.substring(0, 160) + "..." : first);
                double[] w = worst.computeIfAbsent(hc.family(), k -> new double[3]);
                w[0]++;
                w[1] = Math.max(w[1], sec);
                w[2] = Math.max(w[2], mb);
                cleanOutputs(hc);
            }
        }
        System.out.println();
        System.out.println("family | cases | worst wall s | worst peak RSS MB");
        worst.forEach((f, w) -> System.out.printf(Locale.ROOT, "%s | %.0f | %.2f | %.0f%n", f, w[0], w[1], w[2]));
    }

    /** A case that wrote an output (a correct result) leaves the next case's folder as it found it. */
    private static void cleanOutputs(HostileCase hc) throws IOException {
        if (hc.output() == null || !Files.isDirectory(hc.output())) return;
        try (var s = Files.list(hc.output())) {
            for (Path f : s.toList()) if (Files.isRegularFile(f)) Files.delete(f);
        }
    }
}
