package coopvmm.conformance.trace;

import coopvmm.conformance.bench.RingTraceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streamed ring replay (events replayed as they are read, MaxReq unbounded) gives the
 * verdict of the in-memory one: on a good model-written trace, on a corrupted copy (the same
 * divergent event), on a cut copy (partial), and on a garbled line (the same error).
 */
class StreamingReplayTest {

    @TempDir
    Path dir;

    private Path good() throws Exception {
        Path f = dir.resolve("good.log");
        RingTraceWriter.write(f, 20_000, 3);
        return f;
    }

    @Test
    void aGoodTraceConformsBothWays() throws Exception {
        Path f = good();
        var mem = RingReplay.replay(Trace.read(f));
        var stream = RingReplay.replayStream(f);
        assertTrue(mem.conforms(), mem.endFailures() + " " + mem.divergence());
        assertTrue(stream.conforms(), stream.endFailures() + " " + stream.divergence());
        assertTrue(stream.eventsChecked() >= 20_000, "at least the events asked for: " + stream.eventsChecked());
        assertEquals(mem.eventsChecked(), stream.eventsChecked());
        assertEquals(mem.coverage(), stream.coverage());
        assertFalse(stream.partial());
    }

    @Test
    void aCorruptedTraceDivergesAtTheSameEventBothWays() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(good(), StandardCharsets.US_ASCII));
        int k = 5000;
        while (!lines.get(k).contains("iopm.consume")) k++;
        lines.set(k, lines.get(k).replaceFirst(" id=(\\d+)", " id=9999999"));
        Path bad = dir.resolve("bad.log");
        Files.write(bad, lines);
        var mem = RingReplay.replay(Trace.read(bad));
        var stream = RingReplay.replayStream(bad);
        assertNotNull(mem.divergence());
        assertNotNull(stream.divergence());
        assertEquals(mem.divergence().event().seq(), stream.divergence().event().seq());
        assertEquals(mem.divergence().expected(), stream.divergence().expected());
    }

    @Test
    void aCutTraceIsPartialBothWays() throws Exception {
        byte[] all = Files.readAllBytes(good());
        Path cut = dir.resolve("cut.log");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        var mem = RingReplay.replay(Trace.read(cut));
        var stream = RingReplay.replayStream(cut);
        assertTrue(mem.partial() && stream.partial());
        assertEquals(mem.eventsChecked(), stream.eventsChecked());
        assertTrue(stream.conforms(), "a cut run still conforms as far as it goes: " + stream.endFailures());
    }

    @Test
    void aGapInTheSequenceIsTheSameErrorBothWays() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(good(), StandardCharsets.US_ASCII));
        lines.remove(777);
        Path gap = dir.resolve("gap.log");
        Files.write(gap, lines);
        TraceFormatException a = assertThrows(TraceFormatException.class, () -> Trace.read(gap));
        TraceFormatException b = assertThrows(TraceFormatException.class, () -> RingReplay.replayStream(gap));
        assertEquals(a.line(), b.line());
        assertEquals(a.getMessage(), b.getMessage());
    }
}
