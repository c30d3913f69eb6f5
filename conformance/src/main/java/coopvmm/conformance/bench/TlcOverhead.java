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
 * treatment and the same worker count. Beside the wall times, the CPU seconds of each side's
 * process tree, which another job's load on a shared machine barely moves.
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

    /**
     * One config's medians, every round's wall seconds in the order run, and the medians of the
     * CPU seconds (user and system) of each side's whole process tree (NaN where unknown).
     */
    public record Row(String spec, String cfg, double bare, double coop, double[] bareRuns, double[] coopRuns,
                      double bareCpu, double coopCpu) {
        public double ratio() {
            return coop / bare;
        }
    }

    public List<Row> run(Path work) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        String fmt = "%-14s %-24s %9s %9s %7s %9s %9s %7s%n";
        line(fmt, "spec", "config", "bare s", "coop s", "ratio", "bare cpu", "coop cpu", "ratio");
        for (Path spec : SpecCatalog.specsIn(root.resolve("specs"))) {
            for (SpecCatalog.Target t : SpecCatalog.targetsOf(spec, false)) {
                double[] bare = new double[rounds], coop = new double[rounds];
                double[] bareCpu = new double[rounds], coopCpu = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    double[] b = time(bareCommand(t, work.resolve("meta-" + t.name() + "-" + i)), t.spec().getParent(), work);
                    double[] c = time(List.of(root.resolve("coop").toString(), "check", t.name(), "--config", t.cfg().toString()),
                            root, work);
                    bare[i] = b[0];
                    bareCpu[i] = b[1];
                    coop[i] = c[0];
                    coopCpu[i] = c[1];
                }
                Row r = new Row(t.name(), t.cfgName(), median(bare), median(coop), bare, coop, median(bareCpu), median(coopCpu));
                rows.add(r);
                line(fmt, r.spec(), r.cfg(), String.format("%.2f", r.bare()), String.format("%.2f", r.coop()),
                        String.format("%.3f", r.ratio()), cpu(r.bareCpu()), cpu(r.coopCpu()), cpuRatio(r.coopCpu(), r.bareCpu()));
            }
        }
        double b = rows.stream().mapToDouble(Row::bare).sum(), c = rows.stream().mapToDouble(Row::coop).sum();
        double bc = rows.stream().mapToDouble(Row::bareCpu).sum(), cc = rows.stream().mapToDouble(Row::coopCpu).sum();
        line(fmt, "total", rows.size() + " configs", String.format("%.2f", b), String.format("%.2f", c),
                String.format("%.3f", c / b), cpu(bc), cpu(cc), cpuRatio(cc, bc));
        // On a shared machine another job's load lands on some runs: each round as run, and the
        // fastest of each side (what the load spared), to judge the medians by.
        double bMin = rows.stream().mapToDouble(r -> Arrays.stream(r.bareRuns()).min().orElse(0)).sum();
        double cMin = rows.stream().mapToDouble(r -> Arrays.stream(r.coopRuns()).min().orElse(0)).sum();
        line(fmt, "fastest", "of each, summed", String.format("%.2f", bMin), String.format("%.2f", cMin),
                String.format("%.3f", cMin / bMin), "", "", "");
        line("%nrounds in the order run (bare, coop alternately), seconds:%n");
        for (Row r : rows) line("%-14s %-24s bare %s  coop %s%n", r.spec(), r.cfg(), seconds(r.bareRuns()), seconds(r.coopRuns()));
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

    /**
     * Wall seconds and CPU seconds of one command, its output discarded; a failing run is an
     * error (the two must do the same work). The CPU seconds are those of its whole process tree
     * (the launcher, its JVM, anything they wait for), from this JVM's own reaped-children
     * counters: unlike the wall time, another job on the machine barely moves them.
     */
    private static double[] time(List<String> cmd, Path dir, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("last.out");
        double cpu0 = childCpu();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3600, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("did not finish in an hour: " + String.join(" ", cmd));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + " from " + String.join(" ", cmd)
                + " (see " + log + ")");
        return new double[] {s, childCpu() - cpu0};
    }

    /**
     * CPU seconds of the children this JVM has reaped (each with the children it reaped):
     * cutime and cstime of /proc/self/stat, in USER_HZ (100 on Linux); NaN elsewhere. A
     * process is reaped before waitFor returns, so the difference around one run is its own.
     */
    static double childCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // after "pid (comm) ": state is field 3 of proc(5), cutime 16, cstime 17
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String cpu(double s) {
        return Double.isNaN(s) ? "-" : String.format("%.2f", s);
    }

    private static String cpuRatio(double coop, double bare) {
        return Double.isNaN(coop) || Double.isNaN(bare) ? "-" : String.format("%.3f", coop / bare);
    }

    private static String seconds(double[] xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) b.append(b.length() == 0 ? "" : " ").append(String.format("%.2f", x));
        return b.toString();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
