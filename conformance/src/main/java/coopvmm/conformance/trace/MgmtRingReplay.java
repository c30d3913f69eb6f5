package coopvmm.conformance.trace;

import coopvmm.model.mgmtring.MgmtRing;
import coopvmm.model.mgmtring.MgmtRingAction;
import coopvmm.model.mgmtring.MgmtRingInvariants;
import coopvmm.model.mgmtring.MgmtRingState;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.RingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays the management ring's events of a trace ({@code mgmt.iopm.*}, {@code mgmt.vmm.*})
 * into the Java model of {@code MgmtRing.tla}, one ring per channel ({@code iopm=}): each
 * event must be an enabled action with the effect its fields say (the ids written and taken,
 * the indexes published and consumed, the notify and sleep decisions, the event indexes
 * armed), and the invariants must hold after it. Its bound is the real ring's: the slots of
 * the {@code # mgmt slots=} line, indexes to 2^32, any number of commands, and a console
 * that may publish a bogus index (the VMM must give it up).
 */
public final class MgmtRingReplay implements Protocol<MgmtRingState, MgmtRingAction> {

    private final RingConfig c;
    private final MgmtRing ring;
    private final MgmtRingInvariants inv;

    private MgmtRingReplay(int slots) {
        this.c = new RingConfig(slots, RingConfig.U32, RingReplay.UNBOUNDED, true);
        this.ring = new MgmtRing(c);
        this.inv = new MgmtRingInvariants(c);
    }

    /** The management ring's events of a trace, in order. */
    public static List<TraceEvent> events(Trace t) {
        return t.events().stream().filter(e -> MgmtRingAction.fromEvent(e.name()) != null).toList();
    }

    /** Null when the trace has no management ring events. */
    public static Replay.Result<MgmtRingState, MgmtRingAction> replay(Trace trace) {
        return replay(trace, events(trace));
    }

    /** As {@link #replay(Trace)}, given the trace's own events of this protocol ({@link #events}). */
    static Replay.Result<MgmtRingState, MgmtRingAction> replay(Trace trace, List<TraceEvent> events) {
        if (events.isEmpty()) return null;
        Map<String, String> m = trace.comment("mgmt");
        TraceEvent first = events.get(0);
        if (m == null) throw new TraceFormatException(first.line(), first.seq(),
                "management ring events but no '# mgmt slots=..' line before them");
        int slots;
        try {
            slots = Trace.number(m, "slots");
            new RingConfig(slots, RingConfig.U32, 1, true);
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(first.line(), first.seq(), "bad '# mgmt' line: " + e.getMessage());
        }
        return Replay.run(new MgmtRingReplay(slots), Replay.ownAndEnd(events, trace));
    }

    @Override
    public String spec() {
        return "MgmtRing";
    }

    @Override
    public MgmtRingAction action(TraceEvent e) {
        return MgmtRingAction.fromEvent(e.name());
    }

    @Override
    public int instance(TraceEvent e) {
        if (!e.has("iopm")) throw new Replay.Reject("field iopm= (the channel whose management ring it is; missing)");
        return (int) e.get("iopm");
    }

    @Override
    public MgmtRingState init(int instance) {
        return MgmtRingState.init(c);
    }

    @Override
    public MgmtRingState step(int instance, MgmtRingState s, MgmtRingAction a, TraceEvent e) {
        Optional<MgmtRingState> next = a == MgmtRingAction.IOPM_PUBLISH_BOGUS
                ? ring.iopmPublishBogus(s, field(e, "prod")) : ring.take(a, s);
        if (next.isEmpty())
            throw new Replay.Reject(a.tla() + " enabled; it is not in this state (" + why(a, s) + "; " + enabledOf(s) + ")");
        MgmtRingState t = next.get();
        List<String> bad = new ArrayList<>();
        switch (a) {
            case IOPM_WRITE_COMMAND -> {
                same(bad, e, "id", s.nextId(), "the console's next command");
                same(bad, e, "pvt", t.cmdPvt(), "its private index, past the slot written");
                RingReplay.bound(bad, c, e, "r:cmd_cons", s.cmdCons(), s.cmdPvt(), "cmdCons");   // a v2 record's late bound
            }
            case IOPM_PUBLISH_COMMANDS -> same(bad, e, "prod", t.cmdProd(), "everything written");
            case IOPM_NOTIFY_VMM -> same(bad, e, "notify", t.conPc() == Pc.IPI ? 1 : 0,
                    "the VMM's cmd_event " + s.cmdEvent() + " in (" + s.cmdNotifyFrom() + ", " + s.cmdProd() + "] or not");
            case IOPM_TAKE_ANSWER -> {
                same(bad, e, "id", t.ansGot().get(t.ansGot().size() - 1), "the id in the answer slot at ans_cons " + s.ansCons());
                same(bad, e, "cons", t.ansCons(), "its consumer index, past the slot");
            }
            case IOPM_PREPARE_SLEEP -> same(bad, e, "event", t.ansEvent(), "ans_cons + 1");
            case IOPM_FINAL_CHECK -> same(bad, e, "sleep", t.conPc() == Pc.SLEEP ? 1 : 0,
                    "ans_prod " + s.ansProd() + (s.ansProd() == s.ansCons() ? " = " : " # ") + "ans_cons " + s.ansCons());
            case VMM_TAKE_COMMAND -> {
                same(bad, e, "id", t.cmdGot().get(t.cmdGot().size() - 1), "the id in the command slot at cmd_cons " + s.cmdCons());
                same(bad, e, "cons", t.cmdCons(), "its consumer index, past the slot");
            }
            case VMM_WRITE_ANSWER -> {
                same(bad, e, "id", s.pending().get(0), "the oldest command taken and not yet answered");
                same(bad, e, "pvt", t.ansPvt(), "its private index, past the slot written");
                RingReplay.bound(bad, c, e, "r:ans_cons", s.ansCons(), s.ansPvt(), "ansCons");
            }
            case VMM_PUBLISH_ANSWERS -> same(bad, e, "prod", t.ansProd(), "everything written");
            case VMM_NOTIFY_IOPM -> same(bad, e, "notify", t.vmmPc() == Pc.IPI ? 1 : 0,
                    "the console's ans_event " + s.ansEvent() + " in (" + s.ansNotifyFrom() + ", " + s.ansProd() + "] or not");
            case VMM_PREPARE_SLEEP -> same(bad, e, "event", t.cmdEvent(), "cmd_cons + 1");
            case VMM_FINAL_CHECK -> same(bad, e, "sleep", t.vmmPc() == Pc.SLEEP ? 1 : 0,
                    "cmd_prod " + s.cmdProd() + (s.cmdProd() == s.cmdCons() ? " = " : " # ") + "cmd_cons " + s.cmdCons());
            default -> {
            }
        }
        if (!bad.isEmpty()) throw new Replay.Reject(String.join("; ", bad));
        return t;
    }

    /** The whole check each step: a management ring carries a few commands, its histories stay short. */
    @Override
    public List<String> violatedAfter(int instance, MgmtRingState s, MgmtRingState t) {
        return inv.violated(t);
    }

    /** Nothing of its own: GuestIo's EveryCommandAnswered is the end's check of the commands. */
    @Override
    public List<String> atEnd(Map<Integer, MgmtRingState> finals, TraceEvent end) {
        return List.of();
    }

    @Override
    public String show(MgmtRingState s) {
        if (s == null) return "-";
        return "console " + s.conPc().tla() + " cmd_pvt=" + s.cmdPvt() + " cmd_prod=" + s.cmdProd() + " ans_cons=" + s.ansCons()
                + " ans_event=" + s.ansEvent() + " next id " + s.nextId() + (s.ipiConsole() ? " (IPI pending)" : "")
                + " | VMM " + s.vmmPc().tla() + (s.consoleTrusted() ? "" : " (console given up)") + " cmd_cons=" + s.cmdCons()
                + " cmd_event=" + s.cmdEvent() + " ans_pvt=" + s.ansPvt() + " ans_prod=" + s.ansProd() + " pending=" + s.pending()
                + (s.ipiVmm() ? " (IPI pending)" : "");
    }

    private static long field(TraceEvent e, String key) {
        if (!e.has(key)) throw new Replay.Reject("field " + key + "= (missing)");
        return e.get(key);
    }

    private static void same(List<String> bad, TraceEvent e, String key, long want, String what) {
        if (!e.has(key)) bad.add("field " + key + "=" + want + " (" + what + "; missing)");
        else if (e.get(key) != want) bad.add(key + "=" + want + " (" + what + "; trace says " + key + "=" + e.get(key) + ")");
    }

    /** The enabling condition that failed, in the trace's words. */
    private String why(MgmtRingAction a, MgmtRingState s) {
        String con = "the console is " + s.conPc().tla(), vmm = "the VMM is " + s.vmmPc().tla();
        return switch (a) {
            case IOPM_WRITE_COMMAND -> s.conPc() != Pc.RUN ? con : "the command ring is full (cmd_cons " + s.cmdCons()
                    + ", cmd_pvt " + s.cmdPvt() + ")";
            case IOPM_PUBLISH_COMMANDS -> s.conPc() != Pc.RUN ? con : "nothing written since cmd_prod " + s.cmdProd();
            case IOPM_TAKE_ANSWER -> s.conPc() != Pc.RUN ? con : s.ansProd() == s.ansCons() ? "no answer published"
                    : "ans_prod " + s.ansProd() + " is more than " + c.n() + " past ans_cons " + s.ansCons();
            case IOPM_SEE_IDLE -> s.conPc() != Pc.RUN ? con : s.ansProd() != s.ansCons() ? "an answer is there to take"
                    : "no command outstanding";
            case VMM_TAKE_COMMAND -> s.vmmPc() != Pc.RUN ? vmm : !s.consoleTrusted() ? "the console was given up"
                    : s.cmdProd() == s.cmdCons() ? "no command published"
                    : "cmd_prod " + s.cmdProd() + " is more than " + c.n() + " past cmd_cons " + s.cmdCons() + ": the bound";
            case VMM_DECLARE_CONSOLE_BROKEN -> "cmd_prod " + s.cmdProd() + " is within " + c.n() + " of cmd_cons " + s.cmdCons();
            case VMM_WRITE_ANSWER -> s.vmmPc() != Pc.RUN ? vmm : s.pending().isEmpty() ? "no command taken to answer"
                    : "the answer ring is full";
            case VMM_SEE_IDLE -> s.vmmPc() != Pc.RUN ? vmm : "a command is there or owed an answer";
            case IOPM_WAKE -> "no IPI to the console is pending";
            case VMM_WAKE -> "no IPI to the VMM is pending";
            default -> a.tla().startsWith("Iopm") ? con : vmm;
        };
    }

    private String enabledOf(MgmtRingState s) {
        List<String> names = new ArrayList<>();
        for (MgmtRing.Step st : ring.successors(s))
            if (st.action() != MgmtRingAction.FINISHED) names.add(st.action().tla());
        return names.isEmpty() ? "nothing is enabled" : "enabled: " + String.join(", ", names);
    }
}
