package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.trace.TlaTraceValidation.Verdict;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceEvent;

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
        var d = r.replay().divergence();
        if (d != null) {
            ok = false;
            TraceEvent e = d.event();
            out.printf("  model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", d.expected());
            if (d.before() != null) out.printf("    model state before it (channel %d): %s%n",
                    e.has("iopm") ? e.get("iopm") : -1, r.replay().protocol().show(d.before()));
            List<TraceEvent> ctx = context(t, e);
            if (!ctx.isEmpty()) {
                out.println("    the channel's events before it:");
                for (TraceEvent c : ctx) out.printf("      %s:%d: %s%n", file, c.line(), lineOf(t, c));
            }
        }
        for (String f : r.replay().endFailures()) {
            ok = false;
            out.printf("  model: %s%n", f);
        }
        var boot = r.boot();
        if (boot != null && boot.divergence() != null) {
            ok = false;
            var bd = boot.divergence();
            TraceEvent e = bd.event();
            out.printf("  boot model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", bd.expected());
            if (bd.before() != null) out.printf("    model state before it: %s%n", boot.protocol().show(bd.before()));
        }
        if (boot != null) for (String f : boot.endFailures()) {
            ok = false;
            out.printf("  boot model: %s%n", f);
        }
        var irq = r.irq();
        if (irq != null && irq.divergence() != null) {
            ok = false;
            var id = irq.divergence();
            TraceEvent e = id.event();
            out.printf("  routing model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", id.expected());
            if (id.before() != null) out.printf("    model state before it: %s%n", irq.protocol().show(id.before()));
        }
        if (irq != null) for (String f : irq.endFailures()) {
            ok = false;
            out.printf("  routing model: %s%n", f);
        }
        var io = r.guestIo();
        if (io != null && io.divergence() != null) {
            ok = false;
            TraceEvent e = io.divergence().event();
            out.printf("  guest I/O model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", io.divergence().expected());
        }
        if (io != null) for (String f : io.endFailures()) {
            ok = false;
            out.printf("  guest I/O model: liveness failure: %s%n", f);   // each names its property
        }
        var mg = r.mgmt();
        if (mg != null && mg.divergence() != null) {
            ok = false;
            TraceEvent e = mg.divergence().event();
            out.printf("  management ring model: first divergent event #%d at %s:%d: %s%n", e.seq(), file, e.line(), lineOf(t, e));
            out.printf("    the model expected: %s%n", mg.divergence().expected());
            if (mg.divergence().before() != null)
                out.printf("    model state before it (channel %d): %s%n", e.has("iopm") ? e.get("iopm") : -1,
                        mg.protocol().show(mg.divergence().before()));
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
}
