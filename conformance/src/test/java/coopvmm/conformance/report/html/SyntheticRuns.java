package coopvmm.conformance.report.html;

import coopvmm.conformance.bench.RingTraceWriter;
import coopvmm.conformance.report.ConformEntry;
import coopvmm.conformance.report.RunFacts;
import coopvmm.conformance.trace.RingReplay;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceFigures;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Conformance runs without QEMU: ring traces written from the model ({@link RingTraceWriter}),
 * one with a consumed id made wrong, checked by the real replay, as a run of the guest would be.
 */
final class SyntheticRuns {

    /** A TSC rate that makes the model trace's stamps (10 ticks an event) read as 10 us an event. */
    static final long KHZ = 1000;

    private SyntheticRuns() {
    }

    /**
     * A run whose trace has a wrong id in an {@code iopm.consume}: the first with a whole window
     * before it in which an IPI is sent and taken (so the diagram has an arrow to check).
     *
     * @param seq  the corrupted line's sequence number (what the page must mark)
     * @param line its line number in trace.log
     */
    record Divergent(ConformEntry entry, long seq, int line, String expected) {
    }

    static Divergent divergentRing(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("trace.log");
        RingTraceWriter.write(file, 400, seed);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
        int at = -1;
        // 12 lines are at most 24 events (a v1 line may be two): inside the window of 30.
        for (int i = RunFacts.WINDOW + 2; i < lines.size() && at < 0; i++)
            if (lines.get(i).contains(" iopm.consume ") && ipiSentAndTaken(lines.subList(i - 12, i))) at = i;
        if (at < 0) throw new AssertionError("no iopm.consume after an IPI sent and taken in seed " + seed);
        StringBuilder b = new StringBuilder();
        for (String w : lines.get(at).split(" ")) {
            if (b.length() > 0) b.append(' ');
            b.append(w.startsWith("id=") ? "id=" + (Long.parseLong(w.substring(3)) + 7) : w);
        }
        lines.set(at, b.toString());
        Files.write(file, lines, StandardCharsets.US_ASCII);
        long seq = Long.parseLong(lines.get(at).split(" ")[0]);

        Trace t = Trace.read(file);
        TraceCheck.Report rep = TraceCheck.check(t, dir, null);
        // The model's own word for it, taken apart from the report's facts.
        String expected = RingReplay.replay(t).divergence().expected();
        RunFacts facts = RunFacts.of(t, rep, TraceFigures.of(t), KHZ);
        String detail = String.format("ring            2 %5d ... FAILS%n  model: first divergent event #%d at %s:%d: %s%n"
                + "    the model expected: %s%n", seed, seq, file, at + 1, lines.get(at), expected);
        ConformEntry e = new ConformEntry("ring", 2, seed, "fails", List.of(), t.events().size(), 1.25, 90_000, -1,
                "./coop conform --scenario ring --smp 2 --seed " + seed, dir, detail, facts);
        return new Divergent(e, seq, at + 1, expected);
    }

    private static boolean ipiSentAndTaken(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).endsWith("notify=1")) continue;
            String wake = lines.get(i).contains(" vmm.notify_iopm ") ? " iopm.wake " : " vmm.wake ";
            for (int j = i + 1; j < lines.size(); j++) if (lines.get(j).contains(wake)) return true;
        }
        return false;
    }

    /** A conforming run with interrupt latencies, boot times and a failover window added to its figures. */
    static ConformEntry conformingWithFigures(Path dir, long seed, int latencies) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("trace.log");
        RingTraceWriter.write(file, 300, seed);
        Trace t = Trace.read(file);
        TraceCheck.Report rep = TraceCheck.check(t, dir, null);
        if (!rep.conforms()) throw new AssertionError("the model's own trace must conform");
        Random rnd = new Random(seed);
        List<Long> vmm = new ArrayList<>(), routed = new ArrayList<>();
        for (int i = 0; i < latencies; i++) {
            vmm.add(8_000 + (long) Math.abs(rnd.nextGaussian() * 1500));
            routed.add(21_000 + (long) Math.abs(rnd.nextGaussian() * 4000));
        }
        TraceFigures fig = new TraceFigures(Map.of(0, 1_200_000L, 1, 1_450_000L), 2_900_000L, vmm, routed, List.of(35_000_000L));
        RunFacts f = RunFacts.of(t, rep, fig, KHZ);
        long end = t.events().get(t.events().size() - 1).tsc() - t.events().get(0).tsc();
        RunFacts withFailover = new RunFacts(f.focus(), f.coverage(), f.figures(), f.tscKhz(), f.requests(),
                List.of(new RunFacts.Window("failover of IOPM 1", end / 3, end / 2)));
        return new ConformEntry("irq-fail", 3, seed, "conforms", List.of(), t.events().size(), 2.0, 120_000, 900,
                "./coop conform --scenario irq-fail --smp 3 --seed " + seed, dir, "irq-fail 3 " + seed + " ... conforms\n", withFailover);
    }

    /** A run that never got a trace (QEMU could not boot): a row, nothing to draw. */
    static ConformEntry error(Path dir, long seed) {
        return new ConformEntry("boot", 3, seed, "error", List.of("QEMU could not boot the image"), -1, 0.4, -1, -1,
                "./coop conform --scenario boot --smp 3 --seed " + seed, dir, "");
    }
}
