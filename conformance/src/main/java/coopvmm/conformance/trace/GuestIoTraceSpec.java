package coopvmm.conformance.trace;

import coopvmm.model.guestio.GuestIoAction;
import coopvmm.model.guestio.GuestIoConfig;

import coopvmm.conformance.tlc.TraceData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the trace-validation module of the guest I/O events of a trace: the events as data
 * ({@link TraceData}) and a next-state relation in which every step is the {@code GuestIo}
 * action the next event names, of the vCPU or IOPM it names, with the effect its fields say:
 * the exit captured, the IOPM the request went to, the request served and its result, the
 * response applied, the RIP and AL the guest re-enters with, what a failover moved and where,
 * the guest's own check (its AL and verdict)
 * (vCPUs, IOPMs and ports shifted to the spec's 1-based numbers). As in {@link IrqTraceSpec}
 * the verdicts are TLC's own: an invariant of {@code GuestIo} violated, or a deadlock where no
 * step matches the next event.
 */
public final class GuestIoTraceSpec {

    public static final String MODULE = "TraceGuestIo";

    /** The indexes the trace numbers from 0; the spec numbers them from 1. */
    private static final List<String> INDEXES = List.of("vcpu", "iopm", "port", "to");
    /** The values the trace and the spec both have as they are. */
    private static final List<String> VALUES = List.of("rip", "dir", "data", "result", "al", "reissued", "pass", "n", "op", "ok");

    private GuestIoTraceSpec() {
    }

    public static List<TraceEvent> events(Trace t) {
        return GuestIoReplay.events(t);
    }

    /**
     * The events as {@link TraceData} writes them for TLC (one piece). A missing index becomes
     * 0 and a missing value -1: neither is a vCPU, IOPM, port, RIP or result of the spec, so an
     * event missing a field it needs matches no step.
     */
    public static List<List<TraceData.Event>> data(List<TraceEvent> events) {
        List<TraceData.Event> out = new ArrayList<>(events.size());
        for (TraceEvent e : events) {
            Map<String, Long> f = new LinkedHashMap<>();
            for (String k : INDEXES) f.put(k, e.has(k) ? e.get(k) + 1 : 0);
            for (String k : VALUES) f.put(k, e.has(k) ? e.get(k) : -1);
            out.add(new TraceData.Event(GuestIoAction.fromEvent(e.name()).tla(), e.line(), f));
        }
        return List.of(out);
    }

    /** The module; its events come from {@code data} ({@link #data}). */
    public static String module(Path data) {
        StringBuilder b = TraceModules.open(MODULE, "its guest I/O events as GuestIo steps", "GuestIo, TraceData, TLC");
        b.append("\\* The guest I/O events (TraceData.tla): one piece.\n");
        b.append("TraceLog == Pieces(\"").append(data.toAbsolutePath().toString().replace("\\", "\\\\")).append("\")[1]\n\n");
        b.append("""
                \\* The trace's dir field: 1 an IN, 0 an OUT (SVM's IOIO type bit).
                DirOf(n) == IF n = 1 THEN "in" ELSE IF n = 0 THEN "out" ELSE "none"
                \\* The trace's op field (docs/trace-format.md) and ok field.
                OpOf(n) == CASE n = 1 -> "create" [] n = 2 -> "start" [] n = 3 -> "stop" [] n = 4 -> "destroy"
                              [] OTHER -> "none"
                OkOf(n) == n = 1

                \\* Event e is the GuestIo action it names, of the vCPU or IOPM it names (one of
                \\* this run's, else no step), with the effect its fields say.
                Match(e) ==
                    CASE e.a = "VmmCaptureExit" -> e.vcpu \\in Vcpu /\\ VmmCaptureExit(e.vcpu)
                            /\\ exit'[e.vcpu] = [rip |-> e.rip, port |-> e.port, dir |-> DirOf(e.dir), data |-> e.data]
                      [] e.a = "VmmSubmitExit" -> e.vcpu \\in Vcpu /\\ VmmSubmitExit(e.vcpu)
                            /\\ exit[e.vcpu].rip = e.rip /\\ route[exit[e.vcpu].port] = e.iopm
                      [] e.a = "IopmServe" -> e.iopm \\in Iopm /\\ IopmServe(e.iopm)
                            /\\ Head(reqQ[e.iopm]).vcpu = e.vcpu /\\ Head(reqQ[e.iopm]).rip = e.rip
                            /\\ rspQ'[e.iopm][Len(rspQ'[e.iopm])].result = e.result
                      [] e.a = "VmmCompleteExit" -> e.iopm \\in Iopm /\\ VmmCompleteExit(e.iopm)
                            /\\ Head(rspQ[e.iopm]) = [vcpu |-> e.vcpu, rip |-> e.rip, result |-> e.result]
                      [] e.a = "VmmResumeGuest" -> e.vcpu \\in Vcpu /\\ VmmResumeGuest(e.vcpu)
                            /\\ rip[e.vcpu] = e.rip /\\ (exit[e.vcpu].dir = "in" => rax[e.vcpu] = e.al)
                      [] e.a = "VmmFailover" -> e.iopm \\in Iopm /\\ VmmFailover(e.iopm)
                            /\\ Min(Live \\ {e.iopm}) = e.to /\\ Len(reqQ[e.iopm]) = e.reissued
                      [] e.a = "VmmStopGuest" -> e.vcpu \\in Vcpu /\\ VmmStopGuest(e.vcpu)
                      [] e.a = "GuestCheck" -> e.vcpu \\in Vcpu /\\ GuestCheck(e.vcpu)
                            /\\ rax[e.vcpu] = e.al /\\ e.pass = IF rax[e.vcpu] = e.vcpu THEN 1 ELSE 0
                      [] e.a = "IopmIssueCommand" -> e.iopm \\in Iopm /\\ IopmIssueCommand(e.iopm)
                            /\\ Script(issued + 1) = [n |-> e.n, op |-> OpOf(e.op), vcpu |-> e.vcpu]
                      [] e.a = "VmmCarryOutCommand" -> e.iopm \\in Iopm /\\ VmmCarryOutCommand(e.iopm)
                            /\\ Head(cmdQ[e.iopm]) = [n |-> e.n, op |-> OpOf(e.op), vcpu |-> e.vcpu]
                            /\\ ansQ'[e.iopm][Len(ansQ'[e.iopm])].ok = OkOf(e.ok) /\\ e.ok \\in {0, 1}
                      [] e.a = "IopmTakeAnswer" -> e.iopm \\in Iopm /\\ IopmTakeAnswer(e.iopm)
                            /\\ Head(ansQ[e.iopm]) = [n |-> e.n, ok |-> OkOf(e.ok)] /\\ e.ok \\in {0, 1}
                      [] e.a = "IopmFail" -> e.iopm \\in Iopm /\\ IopmFail(e.iopm)
                      [] OTHER -> FALSE

                """);
        b.append(TraceModules.closeWhole());
        return b.toString();
    }

    /**
     * Why a per-CPU (v2) order cannot place this trace's guest I/O events, or null if it can.
     * An IOPM failure ({@code iopm.fail}), unless {@code stopsOrdered}: the VMM's
     * {@code vmm.failover} learns of the stop from missing heartbeats, and only a build whose
     * routing records carry their words (the stop's mark, read by the ticks that miss the beats)
     * orders the failure before it. Management commands ({@code iopm.issue_command}), unless
     * {@code commandsOrdered}: only a build whose management records carry their words orders
     * them. Such a run's guest I/O is not checked from per-CPU logs.
     */
    public static String unorderedInLogs(Trace t, boolean stopsOrdered, boolean commandsOrdered) {
        for (TraceEvent e : t.events()) {
            if (e.name().equals("iopm.fail") && !stopsOrdered)
                return "across a failover (no record orders iopm.fail before vmm.failover)";
            if (e.name().equals("iopm.issue_command") && !commandsOrdered)
                return "with management commands (the management ring's records log no accesses)";
        }
        return null;
    }

    /** The GuestIo invariants TLC checks on every state: those of {@code GuestIo.cfg}. */
    public static final List<String> INVARIANTS = List.of("TypeOK", "RunsOnlyWhenAnswered", "CompletedAtMostOnce",
            "ResponseToItsVcpu", "ResumesPastTheExit", "IoExactlyOnce", "NoLostExit", "OneRequestPerExit",
            "RequestsAtOwner", "GuestChecksPass", "CommandsAnsweredInOrder", "RunsOnlyOnceStarted");

    /** The constants of the run ({@link GuestIoReplay#config}: the {@code # guestio} line, the header's IOPMs). */
    public static String config(Trace t, List<TraceEvent> events) {
        GuestIoConfig c = GuestIoReplay.config(t, events);
        return "\\* Generated by ./coop: the constants of one traced run.\n"
                + "CONSTANTS\n"
                + "    NVcpu = " + c.nVcpu() + "\n"
                + "    NIopm = " + c.nIopm() + "\n"
                + "    NDev = " + c.nDev() + "\n"
                + "    NInsn = " + c.nInsn() + "\n"
                + "    MaxFail = " + c.maxFail() + "\n"
                + "    NAdmin = " + c.nAdmin() + "\n"
                + TraceModules.verdictConfigTail(INVARIANTS);
    }
}
