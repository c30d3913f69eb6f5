package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop fuzz} is the bash script's own (not the picocli application's): usage asked for
 * with --help or -h goes to stdout with exit 0, usage as the answer to an error goes to stderr
 * with exit 2. None of these starts fuzzing.
 */
class FuzzUsageTest {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result coop(String... args) throws IOException, InterruptedException {
        Path root = Repo.locate().root();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("coop").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("coop-fuzz", ".out"), err = Files.createTempFile("coop-fuzz", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("./coop " + String.join(" ", args) + " did not end in 30 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpAskedForIsUsageOnStdoutAndExitZero(String flag) throws Exception {
        Result r = coop("fuzz", flag);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("usage:"), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void helpOfTheRingSubCommandIsUsageOnStdoutAndExitZero() throws Exception {
        Result r = coop("fuzz", "ring", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("usage:"), r::toString);
    }

    @Test
    void anUnknownSubCommandIsUsageOnStderrAndExitTwo() throws Exception {
        Result r = coop("fuzz", "bogus");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("usage:"), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void anOptionWithoutItsValueIsUsageOnStderrAndExitTwo() throws Exception {
        Result r = coop("fuzz", "ring", "--seconds");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("usage:"), r::toString);
    }
}
