package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.trace.RingReplay;
import coopvmm.conformance.trace.TlaTraceValidation.ChannelVerdict;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.model.ring.RingState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/** Says what a trace check found, the way a person debugging the build needs it. */
final class TraceVerdict {

    private TraceVerdict() {
    }

    /** Prints the failures of {@code r}; returns true when the trace conforms. */
    static boolean print(TraceCheck.Report r, Repo repo, PrintStream out) throws IOException {
        Trace t = r.trace();
        String file = repo.show(t.file());
        boolean ok = true;
        RingReplay.Divergence d = r.replay().divergence();
        if (d != null) {
            ok = false;
            TraceEvent e = d.event();
            out.printf("  model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", d.expected());
            if (d.before() != null) out.printf("    model state before it (channel %d): %s%n",
                    e.has("iopm") ? e.get("iopm") : -1, show(d.before()));
            List<TraceEvent> ctx = context(t, e);
            if (!ctx.isEmpty()) {
                out.println("    the channel's events before it:");
                for (TraceEvent c : ctx) out.printf("      %s:%d: %s%n", file, c.line(), lineOf(t, c));
            }
        }
        for (var en : r.replay().unanswered().entrySet()) {
            ok = false;
            out.printf("  model: run ended with %d request(s) of channel %d unanswered (%s)%n",
                    en.getValue(), en.getKey(), show(r.replay().finals().get(en.getKey())));
        }
        for (ChannelVerdict c : r.channels()) {
            if (!c.accepted()) {
                ok = false;
                out.printf("  TLA+: channel %d is not a CoopRing behaviour: %s%n", c.channel(), c.reason());
                out.printf("    trace spec and TLC output: %s%n", repo.show(c.tlc().rawOutput().getParent()));
            }
        }
        if (r.replay().partial()) {
            out.printf("  partial: the trace has no run.end (the run was cut); the verdict covers its %d ring events%n",
                    r.ringEvents());
        }
        return ok;
    }

    /** The last few events of the same channel before {@code e}. */
    private static List<TraceEvent> context(Trace t, TraceEvent e) {
        if (!e.has("iopm")) return List.of();
        long k = e.get("iopm");
        List<TraceEvent> before = t.events().stream()
                .filter(x -> x.seq() < e.seq() && x.has("iopm") && x.get("iopm") == k)
                .filter(x -> coopvmm.model.ring.RingAction.fromEvent(x.name()) != null).toList();
        return before.subList(Math.max(0, before.size() - 4), before.size());
    }

    static String lineOf(Trace t, TraceEvent e) {
        try {
            List<String> lines = Files.readAllLines(t.file(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return e.line() - 1 < lines.size() ? lines.get(e.line() - 1) : e.name();
        } catch (IOException x) {
            return e.name();
        }
    }

    /** A ring state, without the long histories. */
    static String show(RingState s) {
        if (s == null) return "-";
        return "reqProd=" + s.reqProd() + " reqCons=" + s.reqCons() + " reqEvent=" + s.reqEvent()
                + " reqPvt=" + s.reqPvt() + " rspProd=" + s.rspProd() + " rspCons=" + s.rspCons()
                + " rspEvent=" + s.rspEvent() + " rspPvt=" + s.rspPvt() + " nextId=" + s.nextId()
                + " answered=" + s.rspGot().size() + " pending=" + s.pending().size()
                + " vmmPc=" + s.vmmPc().tla() + " iopmPc=" + s.iopmPc().tla()
                + " ipiVmm=" + s.ipiVmm() + " ipiIopm=" + s.ipiIopm() + " iopmTrusted=" + s.iopmTrusted();
    }
}
