package coopvmm.conformance.bench;

import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.TlcRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ./coop check} costs over bare TLC: for each spec and config of specs/, the
 * wall time of bare TLC ({@code java -XX:+UseParallelGC -cp tla2tools.jar tlc2.TLC -config C
 * S.tla}, one worker) and of {@code ./coop check S --config C} started the way a user starts
 * it (the launcher script, the CLI's JVM, its TLC child), run alternately, {@code rounds}
 * times each; the median of each, and the ratio of the totals. Both get the same metadir
 * treatment and the same worker count.
 */
public final class TlcOverhead {

    private final Path root;
    private final int rounds;
    private final PrintStream out;
    private final StringBuilder table = new StringBuilder();

    public TlcOverhead(Path root, int rounds, PrintStream out) {
        this.root = root;
        this.rounds = rounds;
        this.out = out;
    }

    /** One config's medians. */
    public record Row(String spec, String cfg, double bare, double coop) {
        public double ratio() {
            return coop / bare;
        }
    }

    public List<Row> run(Path work) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        String fmt = "%-14s %-24s %9s %9s %7s%n";
        line(fmt, "spec", "config", "bare s", "coop s", "ratio");
        for (Path spec : SpecCatalog.specsIn(root.resolve("specs"))) {
            for (SpecCatalog.Target t : SpecCatalog.targetsOf(spec, false)) {
                double[] bare = new double[rounds], coop = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    bare[i] = time(bareCommand(t, work.resolve("meta-" + t.name() + "-" + i)), t.spec().getParent(), work);
                    coop[i] = time(List.of(root.resolve("coop").toString(), "check", t.name(), "--config", t.cfg().toString()),
                            root, work);
                }
                Row r = new Row(t.name(), t.cfgName(), median(bare), median(coop));
                rows.add(r);
                line(fmt, r.spec(), r.cfg(), String.format("%.2f", r.bare()), String.format("%.2f", r.coop()),
                        String.format("%.3f", r.ratio()));
            }
        }
        double b = rows.stream().mapToDouble(Row::bare).sum(), c = rows.stream().mapToDouble(Row::coop).sum();
        line(fmt, "total", rows.size() + " configs", String.format("%.2f", b), String.format("%.2f", c),
                String.format("%.3f", c / b));
        return rows;
    }

    /** The table printed so far, to keep in a file. */
    public String table() {
        return table.toString();
    }

    /** One row, printed as it is measured and kept for {@link #table}. */
    private void line(String fmt, Object... cells) {
        String l = String.format(fmt, cells);
        out.print(l);
        out.flush();
        table.append(l);
    }

    private static List<String> bareCommand(SpecCatalog.Target t, Path meta) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseParallelGC",
                "-cp", TlcRunner.tlaToolsJar().toString(), "tlc2.TLC", "-workers", "1", "-metadir", meta.toString(),
                "-config", t.cfg().toAbsolutePath().toString(), t.spec().toAbsolutePath().toString());
    }

    /** Wall seconds of one command, its output discarded; a failing run is an error (the two must do the same work). */
    private static double time(List<String> cmd, Path dir, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("last.out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3600, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("did not finish in an hour: " + String.join(" ", cmd));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + " from " + String.join(" ", cmd)
                + " (see " + log + ")");
        return s;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
