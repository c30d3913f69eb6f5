package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.bench.PerCpuBench;
import coopvmm.conformance.bench.RealTraceReplica;
import coopvmm.conformance.bench.ReplayProbe;
import coopvmm.conformance.bench.RingTraceWriter;
import coopvmm.conformance.bench.TlcOverhead;
import coopvmm.conformance.trace.ReplayWarmUp;
import coopvmm.conformance.trace.TlaTraceValidation;
import coopvmm.conformance.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./coop bench}: how fast the trace checkers go, and in how much memory, as the trace
 * grows. For each size a ring trace is written from a random behaviour of the model
 * ({@link RingTraceWriter}); the model replay runs in a child JVM with the heap under test
 * ({@link ReplayProbe}), and TLC validates the traces up to {@code --tla-max} events. Then the
 * same for a real trace replicated to each of {@code --real-sizes} ({@link RealTraceReplica}). Figures,
 * not assertions: the table goes to stdout and to {@code reports/bench/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Trace checkers' speed and memory on model-written ring traces of growing size, and on a real one replicated.",
                "Prints events/s and peak heap of the model replay (child JVM, --heap) and events/s of TLC",
                "trace validation; keeps the table in reports/bench/. Exit 0, 2 on a usage or environment error."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", description = "trace sizes in events (default 10000,100000,1000000,10000000)")
    List<Long> sizes = new ArrayList<>(List.of(10_000L, 100_000L, 1_000_000L, 10_000_000L));

    @Option(names = "--heap", defaultValue = "512m", description = "the replay JVM's -Xmx (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--tla-max", defaultValue = "100000", description = "TLC validates traces up to this many events (default ${DEFAULT-VALUE})")
    long tlaMax;

    /** Model traces drain every this many events: quiescent points, as real runs have. */
    static final long DRAIN_EVERY = 500;

    @Option(names = "--real-sizes", split = ",", description = "sizes of the real trace replicated: the reference VMM's ring run bundled with the CLI, its channel copied onto as many channels as the size takes (default 100000,1000000; 0: none)")
    List<Long> realSizes = new ArrayList<>(List.of(100_000L, 1_000_000L));

    /** TLC validates a replicated real trace of at most this many channels (one TLC run each). */
    static final int REAL_TLA_CHANNELS = 32;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--tlc-overhead", description = "instead: ./coop check against bare TLC on every spec and config of specs/, run alternately, --rounds times each (medians, and the ratio of the totals)")
    boolean tlcOverhead;

    @Option(names = "--rounds", defaultValue = "3", description = "with --tlc-overhead: runs of each; with --per-cpu: checks of the same logs, the first cold (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--per-cpu", description = "instead: the checker of per-CPU (v2) traces on the host harness's real logs of about --events events: read, rf, order, linearization, replay")
    boolean perCpu;

    @Option(names = "--events", defaultValue = "1000000", description = "with --per-cpu: events of the logs (default ${DEFAULT-VALUE})")
    long events;

    @Override
    public Integer call() throws Exception {
        Repo repo = Repo.locate();
        Path dir = repo.reports().resolve("bench");
        if (tlcOverhead) return overhead(repo, dir);
        if (perCpu) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            String table;
            try {
                table = PerCpuBench.run(repo, events, rounds, dir.resolve("per-cpu-logs"), System.out);
            } catch (coopvmm.conformance.stress.HostHarness.Unavailable e) {
                System.err.println("coop bench: " + e.getMessage());
                return Coop.USAGE;
            }
            Path report = dir.resolve("per-cpu-" + stamp + ".txt");
            Files.writeString(report, table, StandardCharsets.UTF_8);
            System.out.println("kept in " + repo.show(report));
            return Coop.OK;
        }
        Path traces = Files.createDirectories(dir.resolve("traces"));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        TlaTraceValidation tla = new TlaTraceValidation(repo.specs(), 3600);
        StringBuilder table = new StringBuilder(String.format(FMT, "trace", "events", "trace MB", "replay ev/s",
                "peak heap MB", "TLA s", "TLA ev/s", "verdict"));
        System.out.print(table);
        for (long n : sizes) {
            Path f = traces.resolve("ring-" + n + ".log");
            RingTraceWriter.write(f, n, seed, DRAIN_EVERY);
            String row = row("model", f, n <= tlaMax, tla, dir.resolve("tla-" + n));
            System.out.print(row);
            table.append(row);
            Files.delete(f);
        }
        List<String> real = realTrace();
        for (long n : realSizes) {
            if (n <= 0) continue;
            Path f = traces.resolve("real-" + n + ".log");
            RealTraceReplica.Made m = RealTraceReplica.write(f, real, n);
            String row = row("real x" + m.copies(), f, n <= tlaMax && m.copies() <= REAL_TLA_CHANNELS, tla,
                    dir.resolve("tla-real-" + n));
            System.out.print(row);
            table.append(row);
            Files.delete(f);
        }
        String head = "# ./coop bench, " + stamp + ": 'model' ring traces from the model (1 channel, 16 slots, drained every " + DRAIN_EVERY + " events), seed " + seed
                + "; 'real xK' the reference VMM's bundled ring run (smp 2, 600 requests) on K channels, one copy after another"
                + "; model replay streamed from the file (read and replay) in a child JVM with -Xmx" + heap
                + " (peak heap: the sum of the heap pools' peaks); TLA s: the validation's wall time (the cut replay, modules written, TLC runs; before 2026-12-04 it was the sum of TLC's runs); TLC: one trace module per channel (real: up to "
                + REAL_TLA_CHANNELS + " channels, on the cores at once)\n";
        Files.writeString(dir.resolve("bench-" + stamp + ".txt"), head + table, StandardCharsets.UTF_8);
        System.out.println("kept in " + repo.show(dir.resolve("bench-" + stamp + ".txt")));
        return Coop.OK;
    }

    private static final String FMT = "%-9s %10s %10s %12s %14s %10s %12s  %s%n";

    /** One row: the model replay of trace {@code f} in a child JVM, and TLC on it when {@code tlc}. */
    private String row(String kind, Path f, boolean tlc, TlaTraceValidation tla, Path tlaDir) throws Exception {
        double mb = Files.size(f) / 1e6;
        String[] probe = probe(f);
        if (probe == null)
            return String.format(FMT, kind, "-", String.format("%.0f", mb), "-", "> " + heap, "-", "-",
                    "replay ran out of memory in -Xmx" + heap);
        long ev = Long.parseLong(probe[0]);
        double replay = Double.parseDouble(probe[1]);
        String tlaS = "-", tlaRate = "-";
        String verdict = probe[3];
        if (tlc) {
            Trace t = Trace.read(f);
            long t0 = System.nanoTime();
            List<TlaTraceValidation.Verdict> vs = tla.validateAll(t, tlaDir);
            double secs = (System.nanoTime() - t0) / 1e9;
            tlaS = String.format("%.1f", secs);
            tlaRate = String.format("%.0f", ev / secs);
            String bad = vs.stream().filter(v -> !v.accepted()).map(v -> v.what() + ": " + v.reason()).findFirst().orElse(null);
            verdict += bad == null ? ", TLC accepts" : ", TLC: " + bad;
        }
        return String.format(FMT, kind, ev, String.format("%.0f", mb), String.format("%.0f", ev / replay),
                String.format("%.0f", Long.parseLong(probe[2]) / 1e6), tlaS, tlaRate, verdict);
    }

    /** The real trace the bench replicates: the ring run bundled with the CLI ({@link ReplayWarmUp#bundledRingTrace}). */
    private static List<String> realTrace() throws java.io.IOException {
        try (var in = ReplayWarmUp.bundledRingTrace()) {
            if (in == null) throw new java.io.IOException("the bundled ring trace is missing from the CLI's jar");
            try (var z = new java.util.zip.GZIPInputStream(in)) {
                return new String(z.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
            }
        }
    }

    private int overhead(Repo repo, Path dir) throws Exception {
        if (rounds < 1) {
            System.err.println("coop bench: --rounds is a positive number");
            return Coop.USAGE;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        TlcOverhead o = new TlcOverhead(repo.root(), rounds, System.out);
        o.run(Files.createDirectories(dir.resolve("tlc-overhead-work")));
        Path f = dir.resolve("tlc-overhead-" + stamp + ".txt");
        Files.writeString(f, "# ./coop bench --tlc-overhead, " + stamp + ": median of " + rounds
                + " alternating runs each, one TLC worker, this machine (" + Runtime.getRuntime().availableProcessors()
                + " cores)\n" + o.table(), StandardCharsets.UTF_8);
        System.out.println("kept in " + repo.show(f));
        return Coop.OK;
    }

    /** events, seconds (read and replay, streamed), peak bytes, verdict; null when the child ran out of memory. */
    private String[] probe(Path trace) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                ReplayProbe.class.getName(), trace.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(3600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the replay probe did not finish in an hour");
        }
        if (out.endsWith("oom")) return null;
        String[] w = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        if (w.length != 4) throw new IllegalStateException("the replay probe said: " + out);
        return w;
    }
}
