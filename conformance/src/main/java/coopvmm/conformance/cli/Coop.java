package coopvmm.conformance.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./coop} command line. Exit codes: 0 all holds, 1 a property or conformance
 * failure, 2 a usage or environment error.
 */
@Command(name = "coop", mixinStandardHelpOptions = true,
        description = "Model-check the cooperative-VMM protocols, check builds against them.",
        subcommands = {CheckCommand.class, RunCommand.class, ConformCommand.class, SoakCommand.class, ReplayCommand.class, BenchCommand.class,
                StressCommand.class})
public final class Coop implements Runnable {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Coop());
        // picocli's own usage errors exit 2, as our convention wants.
        cl.setExitCodeExceptionMapper(e -> USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            cl.getErr().println("coop: " + ex.getMessage());
            return USAGE;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable t) {
            // an Error picocli passes on (a jar rebuilt under a running CLI, out of memory):
            // exit, or TLC's non-daemon RMI threads would keep the JVM alive after main
            System.err.println("coop: internal error: " + t);
            t.printStackTrace();
            code = USAGE;
        }
        System.exit(code);
    }
}
