package coopvmm.conformance.trace;

import coopvmm.conformance.Repo;
import coopvmm.conformance.bench.RingTraceWriter;
import coopvmm.model.ring.RingState;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLC trace validation of a long channel in pieces cut at quiescent points, the ids
 * renumbered in each: it accepts a good trace, rejects an event corrupted deep inside (naming
 * it, as the model replay does), and rejects pieces chained through a state that is not
 * where the previous piece really ended (the chain is checked, not trusted). The events come
 * to TLC as data ({@code TraceData}), never as a literal SANY parses.
 */
class PiecewiseValidationTest {

    @TempDir
    static Path dir;

    static Path good;
    static Trace trace;
    static RingReplay ring;

    @BeforeAll
    static void write() throws Exception {
        good = dir.resolve("good.log");
        RingTraceWriter.write(good, 6000, 11, 300);
        trace = Trace.read(good);
        ring = new RingReplay(trace);
        assertTrue(Replay.run(ring, trace.events()).conforms());
    }

    private static TlaTraceValidation tlc() {
        return new TlaTraceValidation(Repo.locate().specs(), 300);
    }

    @Test
    void aLongGoodChannelIsAcceptedPieceByPiece() throws Exception {
        List<RingReplay.Cut> cuts = ring.cuts(0);
        assertTrue(cuts.size() >= 3, "several quiescent points: " + cuts.size());
        var v = tlc().validate(trace, 0, dir.resolve("good"), cuts);
        assertTrue(v.accepted(), v.reason());
        String module = Files.readString(dir.resolve("good").resolve("TraceCoopRing0.tla"));
        assertTrue(module.contains("VARIABLE seg") && module.contains("Pieces(\""), module.substring(0, 300));
        assertTrue(Files.size(dir.resolve("good").resolve("TraceCoopRing0.tla")) < 20_000, "the events are not in the module");
    }

    @Test
    void anEventCorruptedInALaterPieceIsNamed() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(good, StandardCharsets.US_ASCII));
        int k = lines.size() * 3 / 4;
        while (!lines.get(k).contains(" iopm.consume ")) k++;
        lines.set(k, lines.get(k).replaceFirst(" id=(\\d+)", " id=1"));
        Path bad = dir.resolve("bad.log");
        Files.write(bad, lines);
        Trace t = Trace.read(bad);
        var model = RingReplay.replay(t);
        assertNotNull(model.divergence());
        var v = tlc().validate(t, 0, dir.resolve("bad"), ((RingReplay) model.protocol()).cuts(0));
        assertFalse(v.accepted());
        assertTrue(v.reason().contains("no CoopRing step matches event #" + model.divergence().event().seq()), v.reason());
    }

    @Test
    void aChainThroughTheWrongStateIsRejected() throws Exception {
        List<RingReplay.Cut> cuts = new ArrayList<>(ring.cuts(0));
        RingReplay.Cut c = cuts.get(1);
        RingState s = c.state();
        // the same quiescent point, but its event index armed one further: not where the piece ended
        var b = s.with();
        b.reqEvent = s.reqEvent() + 1;
        cuts.set(1, new RingReplay.Cut(c.after(), b.build()));
        var v = tlc().validate(trace, 0, dir.resolve("chain"), cuts);
        assertFalse(v.accepted());
        // TLC stops at the first failure it finds: the piece before the cut does not end in the
        // state claimed, or the piece after it, started from that state, gets stuck
        assertTrue(v.reason().contains("does not end in the state") || v.reason().contains("no CoopRing step matches"),
                v.reason());
        assertEquals(0, v.events() - trace.events().stream().filter(e -> e.name().startsWith("vmm.")
                || e.name().startsWith("iopm.")).count());
    }
}
