package coopvmm.conformance.tlc;

import coopvmm.conformance.Trees;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLC's own distributed mode: a TLCServer process that holds the state queue and the
 * fingerprints, and TLCWorker processes that compute successors. Either {@code localWorkers}
 * workers started here, every socket on loopback ({@link LoopbackRmi}); or none, the server
 * listening on every interface of this host for the workers a user starts on other hosts
 * (the command is printed). The server's output is read as a plain TLC run's.
 *
 * <p>TLC's distributed mode checks safety only (invariants, action properties, deadlock):
 * it does not check liveness, and says nothing about it (a liveness mutant "holds"). {@link #SAFETY_ONLY} says so.
 */
public final class DistributedTlc {

    public static final String SAFETY_ONLY = "distributed TLC checks the invariants and deadlock only: the config's PROPERTIES were not checked";

    private static final String SERVER = "tlc2.tool.distributed.TLCServer", WORKER = "tlc2.tool.distributed.TLCWorker";
    private static final String PORT = "-Dtlc2.tool.distributed.TLCServer.port=";

    private final Path libraryDir;
    private final int localWorkers;
    private final int port;
    private final long timeoutSeconds;
    private final PrintStream out;

    /**
     * @param localWorkers workers to start here on loopback; 0: wait for remote ones
     * @param port         the server's RMI port; 0: a free one (only with local workers)
     */
    public DistributedTlc(Path libraryDir, int localWorkers, int port, long timeoutSeconds, PrintStream out) {
        this.libraryDir = libraryDir;
        this.localWorkers = localWorkers;
        this.port = port;
        this.timeoutSeconds = timeoutSeconds;
        this.out = out;
    }

    /** The command a user runs on another host to give this server a worker. */
    public static String workerCommand(String serverHost, int port) {
        return "java " + PORT + port + " -cp tla2tools.jar " + WORKER + " " + serverHost;
    }

    /** Checks {@code spec} with {@code cfg}; the server's output goes to {@code outFile}, each worker's beside it. */
    public TlcResult check(Path spec, Path cfg, Path outFile, List<String> extraArgs) throws IOException, InterruptedException {
        Files.createDirectories(outFile.getParent());
        Path meta = Files.createTempDirectory(outFile.getParent(), "tlc-meta-");
        boolean local = localWorkers > 0;
        int p = port != 0 ? port : freeLoopbackPort();
        List<String> cmd = java(local, p);
        cmd.add("-DTLA-Library=" + libraryDir.toAbsolutePath());
        cmd.add("-Djava.io.tmpdir=" + meta.toAbsolutePath());   // its own standard modules (see TlcRunner)
        if (local) cmd.add(LoopbackRmi.class.getName());
        cmd.add(SERVER);
        cmd.addAll(List.of("-metadir", meta.toString(), "-config", cfg.toAbsolutePath().toString()));
        cmd.addAll(extraArgs);
        cmd.add(spec.toAbsolutePath().toString());
        long start = System.nanoTime();
        Process server = new ProcessBuilder(cmd).directory(spec.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
        List<Process> workers = new ArrayList<>();
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        boolean ended = false;
        try {
            // workers may register once the server says it is ready (it has its initial states)
            while (server.isAlive() && !Files.readString(outFile, StandardCharsets.ISO_8859_1).contains(" is ready")
                    && System.nanoTime() < deadline) Thread.sleep(100);
            if (server.isAlive()) {
                if (local) {
                    for (int w = 0; w < localWorkers; w++) {
                        List<String> wc = java(true, p);
                        wc.add(LoopbackRmi.class.getName());
                        wc.add(WORKER);
                        wc.add(InetAddress.getLoopbackAddress().getHostAddress());
                        Path wOut = outFile.resolveSibling(outFile.getFileName().toString().replaceFirst("\\.out$", "")
                                + "-worker" + w + ".out");
                        workers.add(new ProcessBuilder(wc).redirectErrorStream(true).redirectOutput(wOut.toFile()).start());
                    }
                } else if (out != null) {
                    out.println("  TLC server of " + spec.getFileName() + " " + cfg.getFileName() + " waits for workers on port "
                            + p + "; on each worker host run:");
                    out.println("    " + workerCommand(InetAddress.getLocalHost().getHostName(), p));
                }
            }
            long left = deadline - System.nanoTime();
            ended = left > 0 && server.waitFor(left, TimeUnit.NANOSECONDS);
        } finally {
            if (!ended) server.destroyForcibly().waitFor();
            for (Process w : workers) if (!w.waitFor(10, TimeUnit.SECONDS)) w.destroyForcibly().waitFor();
            Trees.delete(meta);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = Files.readString(outFile, StandardCharsets.UTF_8);
        return ended ? TlcOutputParser.parse(text, seconds, outFile, server.exitValue())
                : TlcRunner.timedOut("distributed TLC", timeoutSeconds, seconds, outFile, text);
    }

    private static List<String> java(boolean local, int port) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.add("-XX:+UseParallelGC");
        c.add(PORT + port);
        if (local) c.add("-Djava.rmi.server.hostname=" + InetAddress.getLoopbackAddress().getHostAddress());
        c.add("-cp");
        c.add(TlcRunner.tlaToolsJar() + File.pathSeparator + TlcRunner.codeOf(LoopbackRmi.class));
        return c;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
