package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.trace.RingReplay;
import coopvmm.conformance.trace.BootReplay;
import coopvmm.conformance.trace.IrqReplay;
import coopvmm.conformance.trace.TlaTraceValidation.Verdict;
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
        BootReplay.Result boot = r.boot();
        if (boot != null && boot.divergence() != null) {
            ok = false;
            BootReplay.Divergence bd = boot.divergence();
            TraceEvent e = bd.event();
            out.printf("  boot model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", bd.expected());
            if (bd.before() != null) out.printf("    model state before it: %s%n", show(bd.before()));
        }
        if (boot != null) for (String f : boot.endFailures()) {
            ok = false;
            out.printf("  boot model: %s%n", f);
        }
        IrqReplay.Result irq = r.irq();
        if (irq != null && irq.divergence() != null) {
            ok = false;
            IrqReplay.Divergence id = irq.divergence();
            TraceEvent e = id.event();
            out.printf("  routing model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", id.expected());
            if (id.before() != null) out.printf("    model state before it: %s%n", show(id.before()));
        }
        if (irq != null) for (String f : irq.endFailures()) {
            ok = false;
            out.printf("  routing model: %s%n", f);
        }
        for (Verdict c : r.tla()) {
            if (!c.accepted()) {
                ok = false;
                out.printf("  TLA+: %s is not a %s behaviour: %s%n", c.what(), c.spec(), c.reason());
                out.printf("    trace spec and TLC output: %s%n", repo.show(c.tlc().rawOutput().getParent()));
            }
        }
        if (r.replay().partial()) {
            out.printf("  partial: the trace has no run.end (the run was cut); the verdict covers its %d events%n",
                    r.eventsChecked());
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

    /** A boot state: the VMM's loop and each AP, without the memory map. */
    static String show(coopvmm.model.boot.BootState s) {
        StringBuilder b = new StringBuilder("vmmPc=" + s.vmmPc().tla() + " cur=IOPM " + (s.cur() - 1) + " copied=" + s.copied());
        for (int a = 1; a <= s.ap().size(); a++) {
            b.append(" | IOPM ").append(a - 1).append(": ap=").append(s.apOf(a).tla()).append(" status=")
                    .append(s.statusOf(a).tla()).append(" tries=").append(s.triesOf(a)).append(" sipis=")
                    .append(s.sipisOf(a)).append(" lateBy=").append(s.lateByOf(a)).append(" ready=")
                    .append(s.readyFlagOf(a)).append(" work=").append(s.workOf(a));
        }
        return b.toString();
    }

    /** A routing state, 0-based like the trace. */
    static String show(coopvmm.model.irq.IrqState s) {
        StringBuilder b = new StringBuilder("ioapic=" + s.ioapic() + " vmmIsr=" + s.vmmIsr() + " route=[");
        for (int d = 1; d <= s.route().size(); d++)
            b.append(d > 1 ? ", " : "").append("dev ").append(d - 1).append("->").append(s.route(d) == 0 ? "vmm" : "iopm " + (s.route(d) - 1));
        b.append("]");
        for (int i = 1; i <= s.up().size(); i++) {
            b.append(" | IOPM ").append(i - 1).append(s.up(i) ? " up" : " stopped").append(s.failed(i) ? " failed" : "")
                    .append(" miss=").append(s.miss(i)).append(" beat=").append(s.beat(i)).append(" tick=").append(s.tickIopm(i))
                    .append(" pend=").append(s.pend(i)).append(" isr=").append(s.iopmIsr(i)).append(" ringReq=").append(s.ringReq(i));
        }
        return b.append(" (interrupts as <<dev+1, n>>, the spec's numbering)").toString();
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
