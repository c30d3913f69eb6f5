package coopvmm.conformance.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The warm-up's bundled traces still conform: a format change that broke one would warm the wrong paths. */
class ReplayWarmUpTest {

    @Test
    void theBundledTraceConforms() throws Exception {
        assertTrue(ReplayWarmUp.conforms());
    }

    @Test
    void itReplaysTheTraceForItsBudgetAndOncePerJvm() throws Exception {
        ReplayWarmUp.Done d = ReplayWarmUp.run(300, false);
        assertTrue(d.passes() >= 1 && d.events() >= d.passes(), d.describe());
        assertTrue(d.describe().matches("\\d+ passes, [\\d,]+ events in [\\d.]+ s \\(last pass [\\d,]+ events/s\\)"),
                d.describe());
        ReplayWarmUp.once(300, false);
        assertTrue(ReplayWarmUp.once(300, false).isEmpty(), "a second warm-up in the same JVM does nothing");
        assertTrue(ReplayWarmUp.run(0, true).describe().endsWith("; TLC's inputs written once"));
    }

    /** What the warm-up writes (and deletes) for TLC: a ring channel's module, data and config, and the boot's. */
    @Test
    void tlcInputsOfATraceAreWrittenWithoutTlc(@TempDir Path dir) throws Exception {
        List<Path> files = ReplayWarmUp.extract();
        try {
            TlaTraceValidation.writeInputs(Trace.read(files.get(0)), dir);
        } finally {
            for (Path f : files) Files.deleteIfExists(f);
        }
        for (String name : List.of("TraceCoopRing0.tla", "TraceCoopRing0.cfg", "TraceCoopRing0.data", "TraceData.tla",
                "TraceBootHandoff.tla", "TraceBootHandoff.cfg"))
            assertTrue(Files.size(dir.resolve(name)) > 0, name);
        assertTrue(Files.readString(dir.resolve("TraceCoopRing0.tla")).contains("EXTENDS CoopRing"));
    }
}
