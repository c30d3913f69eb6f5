package coopvmm.conformance.trace;

import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootConfig;
import coopvmm.model.boot.BootState;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the trace-validation module of the boot events of a trace: the events as a TLA+
 * sequence and a next-state relation in which every step is the {@code BootHandoff} action
 * the next event names, on the AP it names ({@link BootReplay#apOf}: VMM AP j is AP j + 1,
 * IOPM k is AP NVmmAps + k + 1). A stray write carries the
 * spec unit its faulting address stands for (see {@link BootReplay}). Verdict lines as in
 * {@link RingTraceSpec}.
 */
public final class BootTraceSpec {

    public static final String MODULE = "TraceBootHandoff";

    private BootTraceSpec() {
    }

    public static List<TraceEvent> events(Trace t) {
        return BootReplay.events(t);
    }

    /** The module, given the spec unit of each stray write (0 for other events). */
    static String module(BootConfig c, List<TraceEvent> events, int[] units) {
        StringBuilder b = TraceModules.open(MODULE, "its boot events as BootHandoff steps", "BootHandoff, Sequences, TLC");
        b.append("TraceLog == <<\n");
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            b.append("  [a |-> \"").append(BootAction.fromEvent(e.name()).tla()).append('"')
                    .append(", ap |-> ").append(BootReplay.apOf(c, e))
                    .append(", unit |-> ").append(units[i])
                    .append(", line |-> ").append(e.line()).append(']')
                    .append(i + 1 < events.size() ? ",\n" : "\n");
        }
        b.append(">>\n\n");
        b.append("""
                Ev == TraceLog[pos + 1]
                Is(name) == pos < Len(TraceLog) /\\ Ev.a = name

                \\* Each event is the BootHandoff action it names, on the AP it names; the boot
                \\* loop's own steps are on AP cur.
                Match ==
                    \\/ Is("VmmAllocZone") /\\ cur = Ev.ap /\\ VmmAllocZone
                    \\/ Is("VmmWriteHandoff") /\\ cur = Ev.ap /\\ VmmWriteHandoff
                    \\/ Is("VmmCopyRealMode") /\\ cur = Ev.ap /\\ VmmCopyRealMode
                    \\/ Is("VmmCopyProtMode") /\\ cur = Ev.ap /\\ VmmCopyProtMode
                    \\/ Is("VmmSendInit") /\\ cur = Ev.ap /\\ VmmSendInit
                    \\/ Is("VmmSendSipi") /\\ cur = Ev.ap /\\ VmmSendSipi
                    \\/ Is("VmmSeeStarted") /\\ cur = Ev.ap /\\ VmmSeeStarted
                    \\/ Is("VmmRetry") /\\ cur = Ev.ap /\\ VmmRetry
                    \\/ Is("VmmGiveUp") /\\ cur = Ev.ap /\\ VmmGiveUp
                    \\/ Is("VmmSeeReady") /\\ VmmSeeReady(Ev.ap)
                    \\/ Is("VmmSeeFault") /\\ VmmSeeFault(Ev.ap)
                    \\/ Is("VmmQueueWork") /\\ VmmQueueWork(Ev.ap)
                    \\/ Is("ApSwitchToProtected") /\\ ApSwitchToProtected(Ev.ap)
                    \\/ Is("ApEnterIopm") /\\ ApEnterIopm(Ev.ap)
                    \\/ Is("IopmSetUp") /\\ IopmSetUp(Ev.ap)
                    \\/ Is("IopmSignalReady") /\\ IopmSignalReady(Ev.ap)
                    \\/ Is("IopmStrayWrite") /\\ IopmStrayWrite(Ev.ap, Ev.unit)
                    \\/ Is("ApEnterVmm") /\\ ApEnterVmm(Ev.ap)
                """);
        b.append(TraceModules.close("BootHandoff", List.of("TypeOK", "ZonesDisjoint", "VmmZoneIntact",
                "HandoffBeforeSipi", "LaidBeforeStart", "NeverRunsUnlaidCode", "IopmWritesConfined", "OneInstancePerAp",
                "NoWorkBeforeReady", "FailedIsDown", "EachApItsRole")));
        return b.toString();
    }

    /** The module with the stray writes' units, which need a replay of the events to know the zones. */
    public static String module(Trace t, List<TraceEvent> events) {
        return module(BootReplay.config(t, events), events, units(t, events));
    }

    /** The spec unit of each stray write (0 for other events), as {@link BootReplay} maps them. */
    static int[] units(Trace t, List<TraceEvent> events) {
        BootConfig c = BootReplay.config(t, events);
        int[] out = new int[events.size()];
        BootReplay.Addresses addr = new BootReplay.Addresses(t);
        coopvmm.model.boot.Boot boot = new coopvmm.model.boot.Boot(c);
        BootState s = BootState.init(c);
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            BootAction a = BootAction.fromEvent(e.name());
            int ap = BootReplay.apOf(c, e);
            if (a == BootAction.IOPM_STRAY_WRITE) out[i] = addr.unitOf(c, s, ap, e);
            var next = boot.take(a, s, ap, out[i]);
            if (next.isEmpty()) break;   // the replay names the divergence; TLC gets stuck there too
            addr.check(c, a, e, s, next.get(), ap);
            s = next.get();
        }
        return out;
    }

    public static String config(Trace t, List<TraceEvent> events) {
        BootConfig c = BootReplay.config(t, events);
        return "\\* Generated by ./coop: the constants of one traced boot.\n"
                + "CONSTANTS\n"
                + "    NumAPs = " + c.numAps() + "\n"
                + "    PmSize = " + c.pmSize() + "\n"
                + "    MaxTries = " + c.maxTries() + "\n"
                + "    Slow = " + set(c.slow()) + "\n"
                + "    SlowBy = " + c.slowBy() + "\n"
                + "    Dead = " + set(c.dead()) + "\n"
                + "    Rogue = " + set(c.rogue()) + "\n"
                + "    MaxWork = " + c.maxWork() + "\n"
                + "    NVmmAps = " + c.nVmmAps() + "\n"
                + TraceModules.CONFIG_TAIL;
    }

    private static String set(Set<Integer> s) {
        return s.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
    }
}
