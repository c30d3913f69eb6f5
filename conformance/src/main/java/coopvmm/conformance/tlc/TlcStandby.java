package coopvmm.conformance.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A child JVM started ahead of its TLC run: before the guest boots, it starts, maps TLC's
 * classes and loads TLC's entry points, then waits on its standard input for the one run it
 * will make. That takes the JVM's start (about a fifth of a short trace validation) off the
 * time between a trace and its verdict. One run per JVM, as always (TLC keeps static state).
 * It also parses the specs its arguments name (every spec a trace projection extends: it does
 * not know which job it will get) once with SANY, saying nothing, and throws the result away:
 * SANY's classes loaded, initialised and compiled ahead take about a third off a short run
 * (0.79 s against 1.13 s for a 6,000-event ring channel, measured side by side). The verdict is
 * the same: each parse is a new SpecObj, and SANY re-initialises its own state at each
 * ({@code Configuration.ReInit}, {@code Context.reInit}); TLC's state is set by its run.
 *
 * <p>The job is one line: the output file, the directory TLC resolves modules from, then
 * TLC's arguments, separated by tabs. End of input before a job (the parent had no use for
 * it, or ended) ends the JVM at once.
 */
public final class TlcStandby {

    /** The file a standby creates in its temporary directory once it waits for its job. */
    static final String READY = "standby.ready";

    /** Loaded ahead, not initialised (TLC's static state is set by its run; SANY's by the parses ahead). */
    private static final List<String> PRELOAD = List.of("tlc2.TLC", "tlc2.tool.ModelChecker", "tlc2.tool.impl.FastTool",
            "tla2sany.drivers.SANY", "tla2sany.parser.TLAplusParser", "tla2sany.semantic.Generator",
            "tlc2.value.impl.RecordValue", "tlc2.tool.fp.FPSetFactory", "tlc2.tool.queue.DiskStateQueue");

    private TlcStandby() {
    }

    public static void main(String[] args) throws Exception {
        for (String c : PRELOAD) {
            try {
                Class.forName(c, false, TlcStandby.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // another TLC version: this class is only not loaded ahead
            }
        }
        for (String spec : args) parseAhead(Path.of(spec));
        // says it is ready (TlcRunner#awaitStandbys): a file in its own temporary directory; a
        // hint only: without it the parent waits its bound and the job still runs here
        try {
            Files.createFile(Path.of(System.getProperty("java.io.tmpdir"), READY));
        } catch (IOException e) {
            // the parent's wait ends at its deadline
        }
        String job = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (job == null || job.isBlank()) System.exit(0);
        String[] f = job.split("\t");
        if (f.length < 3) throw new IllegalArgumentException("job line: <out file>\t<user dir>\t<TLC args...>");
        OutputStream file = Files.newOutputStream(Path.of(f[0]));
        PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(out);
        util.ToolIO.out = out;
        util.ToolIO.err = out;
        util.ToolIO.setUserDir(f[1]);
        LoopbackRmi.install();
        tlc2.TLC.main(Arrays.copyOfRange(f, 2, f.length));   // exits the JVM with TLC's code
    }

    /**
     * Parses {@code spec} with SANY, saying nothing: only to load and compile the parser
     * before the run. Whatever goes wrong is the run's to report, when it parses for itself.
     */
    static void parseAhead(Path spec) {
        PrintStream out = util.ToolIO.out, err = util.ToolIO.err, sysOut = System.out, sysErr = System.err;
        PrintStream nothing = new PrintStream(OutputStream.nullOutputStream());
        util.ToolIO.out = nothing;
        util.ToolIO.err = nothing;
        System.setOut(nothing);    // what this JVM says goes into the run's output: nothing of the parse
        System.setErr(nothing);
        try {
            String name = spec.getFileName().toString();
            var obj = new tla2sany.modanalyzer.SpecObj(name,
                    new util.SimpleFilenameToStream(new String[]{spec.toAbsolutePath().getParent().toString()}));
            tla2sany.drivers.SANY.frontEndMain(obj, name, nothing);
        } catch (Throwable t) {
            // a spec that does not parse: its run says so
        } finally {
            util.ToolIO.out = out;
            util.ToolIO.err = err;
            System.setOut(sysOut);
            System.setErr(sysErr);
        }
    }

    /** The job line for {@code args}: refused when an argument holds a tab or a line break. */
    static String job(Path outFile, Path userDir, List<String> args) {
        StringBuilder b = new StringBuilder(outFile.toAbsolutePath().toString()).append('\t').append(userDir.toAbsolutePath());
        for (String a : args) {
            if (a.indexOf('\t') >= 0 || a.indexOf('\n') >= 0)
                throw new IllegalArgumentException("a TLC argument with a tab or a line break: " + a);
            b.append('\t').append(a);
        }
        return b.append('\n').toString();
    }

    /** Hands {@code p}, a standby, its run. */
    static void send(Process p, Path outFile, Path userDir, List<String> args) throws IOException {
        try (OutputStream in = p.getOutputStream()) {
            in.write(job(outFile, userDir, args).getBytes(StandardCharsets.UTF_8));
        }
    }
}
