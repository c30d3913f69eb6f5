package coopvmm.conformance.trace;

import coopvmm.model.boot.ApStatus;
import coopvmm.model.boot.Boot;
import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootConfig;
import coopvmm.model.boot.BootInvariants;
import coopvmm.model.boot.BootState;
import coopvmm.model.boot.BootState.Handoff;
import coopvmm.model.boot.BootState.Zone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replays the boot events of a trace into the Java boot model ({@code BootHandoff}): each
 * event must be an enabled action of the IOPM it names, the invariants must hold after it,
 * and the real addresses it reports must obey what the spec says of its abstract memory
 * (zones disjoint from each other, from the VMM zone and the shared zone; real-mode code
 * below 1 MiB; the protected-mode copy and its entry inside the IOPM's zone; the hand-off
 * bounds those of the zone). At the end of a run every AP must be ready or failed, every AP
 * neither dead nor rogue ready, and the VMM zone's canaries intact.
 */
public final class BootReplay implements Protocol<BootState, BootAction> {

    /** 1 MiB: real-mode code must lie below it (an AP starts in real mode). */
    static final long ONE_MIB = 0x100000L;

    private final BootConfig c;
    private final Boot boot;
    private final BootInvariants inv;
    private final Addresses addr;

    private BootReplay(Trace trace, BootConfig c) {
        this.c = c;
        this.boot = new Boot(c);
        this.inv = new BootInvariants(c);
        this.addr = new Addresses(trace);
    }

    public BootConfig config() {
        return c;
    }

    /** The boot events of a trace, in order. */
    public static List<TraceEvent> events(Trace t) {
        return t.events().stream().filter(e -> BootAction.fromEvent(e.name()) != null).toList();
    }

    /**
     * The constants of the traced boot: {@code NVmmAps} from the {@code # boot} line's
     * {@code vmm_aps} (0 when it has none), {@code NumAPs} that and the header's {@code iopms},
     * the others from the {@code # boot} line. A trace with boot events and no such line, or
     * one that does not parse, is malformed.
     */
    public static BootConfig config(Trace t, List<TraceEvent> events) {
        Map<String, String> c = t.comment("boot");
        TraceEvent first = events.get(0);
        if (c == null) throw new TraceFormatException(first.line(), first.seq(),
                "boot events but no '# boot pm_units=.. max_tries=.. ...' constants line before them");
        try {
            int vmmAps = c.containsKey("vmm_aps") ? Trace.number(c, "vmm_aps") : 0;
            int aps = vmmAps + t.iopms();
            return new BootConfig(aps, Trace.number(c, "pm_units"), Trace.number(c, "max_tries"),
                    apsOf(c, "slow_mask", vmmAps), Trace.number(c, "slow_by"), apsOf(c, "dead_mask", vmmAps),
                    apsOf(c, "rogue_mask", vmmAps), Math.max(1, maxWork(events)), vmmAps);
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(first.line(), first.seq(), "bad '# boot' constants: " + e.getMessage());
        }
    }

    /** Bit k of the mask is IOPM k, AP vmmAps + k + 1 of the spec. */
    private static Set<Integer> apsOf(Map<String, String> c, String key, int vmmAps) {
        long mask = Trace.number(c, key) & 0xffffffffL;
        Set<Integer> out = new HashSet<>();
        for (int k = 0; k < 32; k++) if ((mask >> k & 1) == 1) out.add(vmmAps + k + 1);
        return out;
    }

    /**
     * The spec's AP an event names: {@code vmm_ap=j} is VMM AP j, AP j + 1; {@code iopm=k} is
     * IOPM k, AP NVmmAps + k + 1 (the VMM APs come first); 0 when it names neither.
     */
    public static int apOf(BootConfig c, TraceEvent e) {
        if (e.has("vmm_ap")) return (int) e.get("vmm_ap") + 1;
        if (e.has("iopm")) return c.nVmmAps() + (int) e.get("iopm") + 1;
        return 0;
    }

    /** AP {@code ap} as the trace names it: {@code VMM AP j} or {@code IOPM k}. */
    static String name(BootConfig c, int ap) {
        return c.vmmAp(ap) ? "VMM AP " + (ap - 1) : "IOPM " + (ap - 1 - c.nVmmAps());
    }

    private static int maxWork(List<TraceEvent> events) {
        Map<Long, Integer> n = new HashMap<>();
        for (TraceEvent e : events)
            if (e.name().equals(BootAction.VMM_QUEUE_WORK.event()) && e.has("iopm")) n.merge(e.get("iopm"), 1, Integer::sum);
        return n.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Null when the trace has no boot events. */
    public static Replay.Result<BootState, BootAction> replay(Trace trace) {
        return replay(trace, events(trace));
    }

    /** As {@link #replay(Trace)}, given the trace's own events of this protocol ({@link #events}). */
    static Replay.Result<BootState, BootAction> replay(Trace trace, List<TraceEvent> events) {
        if (events.isEmpty()) return null;
        return Replay.run(new BootReplay(trace, config(trace, events)), Replay.ownAndEnd(events, trace));
    }

    @Override
    public String spec() {
        return "BootHandoff";
    }

    /** The spec's assumption about the start timeout, named in a divergence that breaks it. */
    public static final String TIMING_ASSUMPTION = "timing assumption (a started AP checks in before the VMM's start timeout)";

    /**
     * A retry or a give-up of the AP being booted after it started: VmmRetry and VmmGiveUp need
     * ~Started, which assumes its check-in comes before the timeout. On a correct build that is
     * the host leaving the AP's vCPU unscheduled past the timeout, not a rule of the protocol.
     */
    private static boolean lateCheckIn(BootState s, BootAction a, int ap) {
        return (a == BootAction.VMM_RETRY || a == BootAction.VMM_GIVE_UP) && s.cur() == ap && Boot.started(s, ap);
    }

    /** The run broke the spec's start-timeout assumption (see {@link #lateCheckIn}) rather than a rule of the protocol. */
    public static boolean brokeTimingAssumption(Replay.Divergence<BootState> d) {
        return d != null && d.expected().contains(TIMING_ASSUMPTION);
    }

    @Override
    public BootAction action(TraceEvent e) {
        return BootAction.fromEvent(e.name());
    }

    @Override
    public BootState init(int instance) {
        return BootState.init(c);
    }

    @Override
    public BootState step(int instance, BootState s, BootAction a, TraceEvent e) {
        if (!e.has("iopm") && !e.has("vmm_ap")) throw new Replay.Reject("a field iopm=<k> (or vmm_ap=<j>)");
        int ap = apOf(c, e);
        String named = e.has("vmm_ap") ? "vmm_ap=" + e.get("vmm_ap") : "iopm=" + e.get("iopm");
        if (e.has("vmm_ap") ? !c.vmmAp(ap) : ap < 1 || ap > c.numAps())
            throw new Replay.Reject(e.has("vmm_ap") ? "a VMM AP of this run (vmm_aps=" + c.nVmmAps() + "), not " + named
                    : "an IOPM of this run (0.." + (c.numAps() - c.nVmmAps() - 1) + "), not " + named);
        if (a.side() == BootAction.Side.VMM_BOOT && s.cur() != ap)
            throw new Replay.Reject("the boot loop's step for " + (s.cur() <= c.numAps() ? name(c, s.cur()) : "no AP (it is done)")
                    + " (the VMM boots one AP at a time), not for " + named);
        int unit = a == BootAction.IOPM_STRAY_WRITE ? addr.unitOf(c, s, ap, e) : -1;
        Optional<BootState> next = boot.take(a, s, ap, unit);
        if (next.isEmpty())
            throw new Replay.Reject(a.tla() + "(" + ap + ") enabled; it is not in this state (" + enabledOf(boot, s) + ")"
                    + (lateCheckIn(s, a, ap) ? ": " + name(c, ap) + " started (a SIPI took it to its real-mode code), so"
                    + " the spec's " + TIMING_ASSUMPTION + " does not hold here" : ""));
        String bad = addr.check(c, a, e, s, next.get(), ap);
        if (bad != null) throw new Replay.Reject(bad);
        return next.get();
    }

    /** The boot is short (a few dozen events): the whole check, each step. */
    @Override
    public List<String> violatedAfter(int instance, BootState s, BootState t) {
        return inv.violated(t);
    }

    @Override
    public List<String> atEnd(Map<Integer, BootState> finals, TraceEvent end) {
        BootState s = finals.getOrDefault(0, BootState.init(c));
        List<String> fails = new ArrayList<>();
        for (int ap = 1; ap <= c.numAps(); ap++) {
            ApStatus st = s.statusOf(ap);
            if (st == ApStatus.BOOTING)
                fails.add("EveryApSettles: " + name(c, ap) + " is neither ready nor declared failed at run.end (event #" + end.seq() + ")");
            else if (st == ApStatus.FAILED && !c.dead().contains(ap) && !c.rogue().contains(ap))
                fails.add("HealthyApsReady: " + name(c, ap) + " is neither dead nor rogue" + (c.slow().contains(ap) ? " (only slow)" : "")
                        + ", yet the VMM declared it failed");
        }
        if (!end.has("vmm_zone_intact")) fails.add("run.end (event #" + end.seq() + ") does not say vmm_zone_intact=");
        else if (end.get("vmm_zone_intact") != 1)
            fails.add("VmmZoneIntact: the VMM zone's canaries changed during the run (run.end vmm_zone_intact="
                    + end.get("vmm_zone_intact") + ", event #" + end.seq() + "): a write escaped an IOPM's page tables");
        return fails;
    }

    /** A boot state: the VMM's loop and each AP, without the memory map. */
    @Override
    public String show(BootState s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder("vmmPc=" + s.vmmPc().tla() + " cur="
                + (s.cur() <= c.numAps() ? name(c, s.cur()) : "-") + " copied=" + s.copied());
        for (int a = 1; a <= s.ap().size(); a++) {
            b.append(" | ").append(name(c, a)).append(": ap=").append(s.apOf(a).tla()).append(" status=")
                    .append(s.statusOf(a).tla()).append(" tries=").append(s.triesOf(a)).append(" sipis=")
                    .append(s.sipisOf(a)).append(" lateBy=").append(s.lateByOf(a)).append(" ready=")
                    .append(s.readyFlagOf(a)).append(" work=").append(s.workOf(a));
        }
        return b.toString();
    }

    private static String enabledOf(Boot boot, BootState s) {
        List<String> names = new ArrayList<>();
        for (Boot.Step st : boot.successors(s)) {
            String n = st.action().tla() + (st.action().perAp() ? "(" + st.ap() + ")" : "");
            if (st.action() == BootAction.FINISHED || names.contains(n)) continue;
            names.add(n);
        }
        return names.isEmpty() ? "nothing is enabled" : "enabled: " + String.join(", ", names);
    }

    /** The real addresses of a trace, checked against what the spec says of its units. */
    static final class Addresses {
        private final long[] vmm;
        private final long[] shared;
        private final Map<Integer, long[]> zones = new HashMap<>();
        private final Map<Integer, long[]> realMode = new HashMap<>();

        Addresses(Trace t) {
            this.vmm = t.zone("vmm");
            this.shared = t.zone("shared");
        }

        /** Why the fields of {@code e} disagree with the step {@code s -> t}, or null. */
        String check(BootConfig c, BootAction a, TraceEvent e, BootState s, BootState t, int ap) {
            List<String> bad = new ArrayList<>();
            if (c.vmmAp(ap) && a == BootAction.VMM_WRITE_HANDOFF && s.handoffOf(ap).lo() == 0 && vmm != null) {
                // a VMM AP's block names the VMM's AP entry and the VMM zone (HandoffOf)
                if (s.handoffOf(ap).entry() == 0) {
                    long entry = field(e, "entry", bad);
                    if (bad.isEmpty() && (entry < vmm[0] || entry >= vmm[1]))
                        bad.add("HandoffComplete: VMM AP " + (ap - 1) + "'s entry in the VMM zone " + range(vmm[0], vmm[1]) + ", not " + hex(entry));
                } else {
                    long lo = field(e, "lo", bad), hi = field(e, "hi", bad);
                    if (bad.isEmpty() && (lo != vmm[0] || hi != vmm[1]))
                        bad.add("HandoffComplete: VMM AP " + (ap - 1) + "'s bounds the VMM zone's " + range(vmm[0], vmm[1]) + ", not " + range(lo, hi));
                }
                return bad.isEmpty() ? null : String.join("; ", bad);
            }
            switch (a) {
                case VMM_ALLOC_ZONE -> {
                    long lo = field(e, "lo", bad), hi = field(e, "hi", bad);
                    if (!bad.isEmpty()) break;
                    if (lo >= hi) bad.add("a zone with lo < hi, not [" + hex(lo) + ", " + hex(hi) + ")");
                    if (lo < ONE_MIB) bad.add("ZonesDisjoint: a zone at or above 1 MiB, not at " + hex(lo));
                    if (overlaps(lo, hi, vmm)) bad.add("ZonesDisjoint: " + name(c, ap) + "'s zone " + range(lo, hi)
                            + " overlaps the VMM zone " + range(vmm[0], vmm[1]));
                    if (overlaps(lo, hi, shared)) bad.add("ZonesDisjoint: " + name(c, ap) + "'s zone " + range(lo, hi)
                            + " overlaps the shared zone " + range(shared[0], shared[1]));
                    for (var z : zones.entrySet())
                        if (z.getKey() != ap && overlaps(lo, hi, z.getValue()))
                            bad.add("ZonesDisjoint: " + name(c, ap) + "'s zone " + range(lo, hi) + " overlaps "
                                    + name(c, z.getKey()) + "'s " + range(z.getValue()[0], z.getValue()[1]));
                    zones.put(ap, new long[] {lo, hi});
                }
                case VMM_WRITE_HANDOFF -> {
                    Handoff h = s.handoffOf(ap);
                    long[] z = zones.get(ap);
                    if (h.entry() == 0) {
                        long entry = field(e, "entry", bad);
                        if (bad.isEmpty() && z != null && (entry < z[0] || entry >= z[1]))
                            bad.add("HandoffComplete: the entry in " + name(c, ap) + "'s zone " + range(z[0], z[1]) + ", not " + hex(entry));
                    } else if (h.lo() == 0) {
                        long lo = field(e, "lo", bad), hi = field(e, "hi", bad);
                        if (bad.isEmpty() && z != null && (lo != z[0] || hi != z[1]))
                            bad.add("HandoffComplete: the bounds of the zone allocated " + range(z[0], z[1]) + ", not " + range(lo, hi));
                    } else {
                        long sh = field(e, "shared", bad);
                        if (bad.isEmpty() && shared != null && sh != shared[0])
                            bad.add("HandoffComplete: the shared zone's address " + hex(shared[0]) + ", not " + hex(sh));
                    }
                }
                case VMM_COPY_REAL_MODE -> {
                    long at = field(e, "at", bad), size = field(e, "size", bad);
                    if (!bad.isEmpty()) break;
                    if (size == 0 || at + size > ONE_MIB) bad.add("real-mode code below 1 MiB, not " + range(at, at + size));
                    for (var r : realMode.entrySet())
                        if (r.getKey() != ap && overlaps(at, at + size, r.getValue()))
                            bad.add(name(c, ap) + "'s real-mode code " + range(at, at + size) + " apart from "
                                    + name(c, r.getKey()) + "'s " + range(r.getValue()[0], r.getValue()[1]) + " (one RmAt per AP)");
                    realMode.put(ap, new long[] {at, at + size});
                }
                case VMM_COPY_PROT_MODE -> {
                    long unit = field(e, "unit", bad), at = field(e, "at", bad), size = field(e, "size", bad);
                    if (!bad.isEmpty()) break;
                    if (unit != s.copied()) bad.add("unit=" + s.copied() + " (trace says unit=" + unit + ")");
                    long[] z = zones.get(ap);
                    if (z != null && (at < z[0] || at + size > z[1]))
                        bad.add("the protected-mode code inside " + name(c, ap) + "'s zone " + range(z[0], z[1]) + ", not at " + range(at, at + size));
                    if (overlaps(at, at + size, vmm)) bad.add("VmmZoneIntact: nothing laid over the VMM zone, but " + range(at, at + size) + " is in it");
                }
                default -> {
                }
            }
            return bad.isEmpty() ? null : String.join("; ", bad);
        }

        /**
         * The spec's unit for the address an IOPM's stray write faulted on: the VMM zone's
         * first unit, another IOPM's zone's first unit, the shared unit, a unit of its own
         * zone, else unit 0 (memory outside every zone).
         */
        int unitOf(BootConfig c, BootState s, int ap, TraceEvent e) {
            long addr = e.has("addr") ? e.get("addr") : -1;
            if (vmm != null && addr >= vmm[0] && addr < vmm[1]) return c.oneMiB();
            if (shared != null && addr >= shared[0] && addr < shared[1]) return c.sharedAt();
            for (var z : zones.entrySet()) {
                if (addr >= z.getValue()[0] && addr < z.getValue()[1]) {
                    Zone mz = s.zoneOf(z.getKey());
                    return mz.equals(Zone.NONE) ? 0 : mz.lo();
                }
            }
            return 0;
        }

        private static long field(TraceEvent e, String key, List<String> bad) {
            if (!e.has(key)) {
                bad.add("a field " + key + "=");
                return -1;
            }
            return e.get(key);
        }

        private static boolean overlaps(long lo, long hi, long[] z) {
            return z != null && lo < z[1] && z[0] < hi;
        }

        private static String range(long lo, long hi) {
            return "[" + hex(lo) + ", " + hex(hi) + ")";
        }

        private static String hex(long v) {
            return String.format("0x%08x", v);
        }
    }
}
