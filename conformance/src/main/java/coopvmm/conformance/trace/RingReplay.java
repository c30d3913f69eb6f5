package coopvmm.conformance.trace;

import coopvmm.model.boot.BootAction;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.Ring;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingConfig;
import coopvmm.model.ring.RingInvariants;
import coopvmm.model.ring.RingState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replays the ring events of a trace into the Java model, one model per channel (IOPM): each
 * event must be an enabled action whose effect matches the event's fields, the invariants
 * must hold after it, and at the end no request may be left unanswered unless the run was
 * cut, the IOPM was given up (a bogus index), or the routing failover declared it failed.
 */
public final class RingReplay implements Protocol<RingState, RingAction> {

    /** MaxReq of a streamed replay. */
    static final int UNBOUNDED = Integer.MAX_VALUE - 1;

    private final int slots;
    private final Set<Integer> failedOver = new HashSet<>();
    private final Map<Integer, Channel> channels = new HashMap<>();
    private Channel last;                  // the channel of the last event: most events are on it

    /** One channel's model, its invariants, its events so far and its quiescent points. */
    private static final class Channel {
        final int k;
        final Ring ring;
        final RingInvariants invariants;
        final List<Cut> cuts = new ArrayList<>();
        int seen;

        Channel(int k, Ring ring) {
            this.k = k;
            this.ring = ring;
            this.invariants = new RingInvariants(ring.config());
        }
    }

    /** Channel events between two cuts, at least (TLC validates the pieces between cuts apart). */
    public static final int CUT_EVERY = 250;

    /**
     * A quiescent point of a channel, after its {@code after}-th event: every request written
     * is published, consumed, answered, published back and consumed, nothing is pending. From
     * here the channel behaves as from a fresh Init shifted by its indexes, so trace validation
     * can start a piece here with the ids renumbered (see {@link RingTraceSpec}).
     */
    public record Cut(int after, RingState state) {
    }

    /**
     * The ring protocol of {@code trace}, as {@link #RingReplay(int)}; a channel the routing
     * failover declared failed leaves for good (its unanswered requests were re-queued on
     * another channel, which the routing replay checks).
     */
    public RingReplay(Trace trace) {
        this(trace.ringSlots());
    }

    /**
     * The ring protocol of a trace of {@code slots}-slot rings. MaxReq is unbounded: the requests
     * a channel is given are not known before its end (a stream), and counting them first
     * would cost a pass over the whole trace. No verdict changes: MaxReq only bounds the ids the
     * VMM writes, and ids come from nextId, which the field checks follow.
     */
    public RingReplay(int slots) {
        this.slots = slots;
    }

    /** The ring events of {@code trace} replayed, one model per channel. */
    public static Replay.Result<RingState, RingAction> replay(Trace trace) {
        return Replay.run(new RingReplay(trace), trace.events());
    }

    /**
     * The ring events of the trace in {@code file}, replayed as they are read: no event is kept
     * (the model's histories take 4 bytes a request). It stops at the first divergence, so a
     * malformed line after it goes unread, where {@link Trace#read} would refuse the file.
     */
    public static Replay.Result<RingState, RingAction> replayStream(Path file) throws IOException {
        try (TraceReader r = new TraceReader(file)) {
            int slots = Integer.parseInt(r.header().getOrDefault("ring_slots", "16"));
            return Replay.run(new RingReplay(slots), () -> r);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public String spec() {
        return "CoopRing";
    }

    @Override
    public RingAction action(TraceEvent e) {
        return RingAction.fromEvent(e.name());
    }

    @Override
    public String unknown(TraceEvent e) {
        if (e.name().equals(IrqAction.VMM_DETECT_FAILURE.event()) && e.has("iopm")) failedOver.add((int) e.get("iopm"));
        if (!e.name().startsWith("vmm.") && !e.name().startsWith("iopm.")) return null;
        // Steps of the other protocols share the vmm./iopm. families.
        boolean otherProtocol = IrqAction.fromEvent(e.name()) != null || BootAction.fromEvent(e.name()) != null
                || coopvmm.model.guestio.GuestIoAction.fromEvent(e.name()) != null;
        return e.name().equals("iopm.ready") || otherProtocol ? null
                : "a known event (" + e.name() + " is not an action of CoopRing nor a run event)";
    }

    @Override
    public int instance(TraceEvent e) {
        return (int) e.get("iopm");          // missing: a malformed trace (TraceFormatException)
    }

    private Channel channel(int k) {
        if (last != null && last.k == k) return last;
        last = channels.computeIfAbsent(k, x -> new Channel(x, new Ring(new RingConfig(slots, RingConfig.U32,
                UNBOUNDED, true))));
        return last;
    }

    private Ring ring(int k) {
        return channel(k).ring;
    }

    @Override
    public RingState init(int k) {
        return RingState.init(ring(k).config());
    }

    @Override
    public RingState step(int k, RingState s, RingAction a, TraceEvent e) {
        Channel ch = channel(k);
        Ring ring = ch.ring;
        Optional<RingState> next = a == RingAction.IOPM_PUBLISH_BOGUS
                ? ring.iopmPublishBogus(s, e.get("prod")) : ring.take(a, s);
        String why = mismatch(ring, a, e, s, next);
        if (why != null) throw new Replay.Reject(why);
        RingState t = next.orElseThrow();
        int n = ++ch.seen;
        List<Cut> at = ch.cuts;
        if (quiescent(t) && n - (at.isEmpty() ? 0 : at.get(at.size() - 1).after()) >= CUT_EVERY) at.add(new Cut(n, t));
        return t;
    }

    /**
     * Nothing in flight on the channel, and neither side between a publish and its notify, a
     * notify and its IPI, or seeing nothing to do and arming its event index: see {@link Cut}.
     */
    static boolean quiescent(RingState t) {
        return t.iopmTrusted() && !inSplitStep(t.vmmPc()) && !inSplitStep(t.iopmPc())
                && t.reqProd() == t.reqPvt() && t.reqCons() == t.reqPvt()
                && t.rspProd() == t.rspPvt() && t.rspCons() == t.rspPvt() && t.pending().isEmpty()
                && t.rspGot().size() == t.nextId() - 1 && t.reqGot().size() == t.nextId() - 1;
    }

    /** Between two parts of a split step: publish, notify, send the IPI; see idle, prepare sleep. */
    private static boolean inSplitStep(Pc pc) {
        return pc == Pc.NOTIFY || pc == Pc.IPI || pc == Pc.IDLE;
    }

    /** The quiescent points of channel {@code k} the replay passed, at least {@link #CUT_EVERY} events apart. */
    public List<Cut> cuts(int k) {
        Channel ch = channels.get(k);
        return ch == null ? List.of() : ch.cuts;
    }

    /** O(1) per event: only what the step changed (the same verdict as the whole check). */
    @Override
    public List<String> violatedAfter(int k, RingState s, RingState t) {
        return channel(k).invariants.violatedAfter(s, t);
    }

    @Override
    public List<String> atEnd(Map<Integer, RingState> finals, TraceEvent end) {
        List<String> out = new ArrayList<>();
        for (var en : finals.entrySet()) {
            if (failedOver.contains(en.getKey())) continue;
            RingState s = en.getValue();
            int open = s.nextId() - 1 - s.rspGot().size();
            if (s.iopmTrusted() && open > 0)
                out.add("run ended with " + open + " request(s) of channel " + en.getKey() + " unanswered (" + show(s) + ")");
        }
        return out;
    }

    /** A ring state, without the long histories. */
    @Override
    public String show(RingState s) {
        if (s == null) return "-";
        return "reqProd=" + s.reqProd() + " reqCons=" + s.reqCons() + " reqEvent=" + s.reqEvent()
                + " reqPvt=" + s.reqPvt() + " rspProd=" + s.rspProd() + " rspCons=" + s.rspCons()
                + " rspEvent=" + s.rspEvent() + " rspPvt=" + s.rspPvt() + " nextId=" + s.nextId()
                + " answered=" + s.rspGot().size() + " pending=" + s.pending().size()
                + " vmmPc=" + s.vmmPc().tla() + " iopmPc=" + s.iopmPc().tla()
                + (s.vmmPc() == Pc.NOTIFY ? " reqNotifyFrom=" + s.reqNotifyFrom() : "")
                + (s.iopmPc() == Pc.NOTIFY ? " rspNotifyFrom=" + s.rspNotifyFrom() : "")
                + " ipiVmm=" + s.ipiVmm() + " ipiIopm=" + s.ipiIopm() + " iopmTrusted=" + s.iopmTrusted();
    }

    /** Why the model cannot take {@code e} in {@code s} (its step: {@code next}), or null if it can with the same effect. */
    private static String mismatch(Ring ring, RingAction a, TraceEvent e, RingState s, Optional<RingState> next) {
        RingConfig c = ring.config();
        if (next.isEmpty()) return a.tla() + " enabled; it is not in this state (" + enabledOf(ring, s) + ")";
        RingState t = next.get();
        List<String> bad = new ArrayList<>(0);
        switch (a) {
            case VMM_WRITE_REQUEST -> {
                same(bad, "id", e, s.nextId());
                same(bad, "pvt", e, t.reqPvt());
                bound(bad, c, e, "r:req_cons", s.reqCons(), s.reqPvt(), "reqCons");
            }
            case VMM_PUBLISH_REQUESTS -> same(bad, "prod", e, t.reqProd());
            case VMM_NOTIFY_IOPM -> same(bad, "notify", e, c.needNotify(s.reqNotifyFrom(), s.reqProd(), s.reqEvent()) ? 1 : 0);
            case VMM_CONSUME_RESPONSE -> {
                same(bad, "id", e, t.rspGot().get(t.rspGot().size() - 1));
                same(bad, "cons", e, t.rspCons());
            }
            case VMM_DECLARE_IOPM_BROKEN -> same(bad, "prod", e, s.rspProd());
            case VMM_SEE_IDLE, IOPM_SEE_IDLE -> {      // no field but the channel
            }
            case VMM_PREPARE_SLEEP -> same(bad, "event", e, t.rspEvent());
            case VMM_FINAL_CHECK -> same(bad, "sleep", e, t.vmmPc() == Pc.SLEEP ? 1 : 0);
            case IOPM_CONSUME -> {
                same(bad, "id", e, t.reqGot().get(t.reqGot().size() - 1));
                same(bad, "cons", e, t.reqCons());
            }
            case IOPM_WRITE_RESPONSE -> {
                same(bad, "id", e, s.pending().get(0));
                same(bad, "pvt", e, t.rspPvt());
                bound(bad, c, e, "r:rsp_cons", s.rspCons(), s.rspPvt(), "rspCons");
            }
            case IOPM_PUBLISH_RESPONSES -> same(bad, "prod", e, t.rspProd());
            case IOPM_NOTIFY_VMM -> same(bad, "notify", e, c.needNotify(s.rspNotifyFrom(), s.rspProd(), s.rspEvent()) ? 1 : 0);
            case IOPM_PREPARE_SLEEP -> same(bad, "event", e, t.reqEvent());
            case IOPM_FINAL_CHECK -> same(bad, "sleep", e, t.iopmPc() == Pc.SLEEP ? 1 : 0);
            default -> {
            }
        }
        return bad.isEmpty() ? null : String.join("; ", bad);
    }

    private static void same(List<String> bad, String key, TraceEvent e, long want) {
        long got = e.find(key);
        if (got == want) return;
        bad.add(got < 0 ? "field " + key + "=" + want + " (missing)" : key + "=" + want + " (trace says " + key + "=" + got + ")");
    }

    /**
     * The peer's consumer index a per-CPU (v2) record read ({@code key}), which may be late
     * ({@code order.Words#lags}): never later than the model's ({@code cons}), and leaving the
     * slot at {@code pvt} free, as the spec's guard wants of the value the code decided on.
     * A v1 event carries no such field. For the management ring too ({@link MgmtRingReplay}).
     */
    static void bound(List<String> bad, RingConfig c, TraceEvent e, String key, long cons, long pvt, String var) {
        if (!e.has(key)) return;
        long read = e.get(key);
        if (c.dist(read, cons) > c.n())
            bad.add(key + "=" + read + " is later than the model's " + var + "=" + cons + " (a read of a write not yet made)");
        else if (c.dist(read, pvt) >= c.n())
            bad.add(key + "=" + read + " leaves no free slot at pvt=" + pvt + " (" + c.n() + " slots): the ring was full as read");
    }

    private static String enabledOf(Ring ring, RingState s) {
        List<String> names = new ArrayList<>();
        // not Finished: whether it is enabled depends on MaxReq, unknown to a streamed replay
        for (Ring.Step st : ring.successors(s))
            if (st.action() != RingAction.FINISHED && !names.contains(st.action().tla())) names.add(st.action().tla());
        return names.isEmpty() ? "nothing is enabled" : "enabled: " + String.join(", ", names);
    }
}
