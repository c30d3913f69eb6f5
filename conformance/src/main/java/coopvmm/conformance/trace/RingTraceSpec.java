package coopvmm.conformance.trace;

import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingState;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a trace-validation module for one channel of a trace (in the style of the CCF and
 * etcd-raft trace validation): the channel's events as a TLA+ sequence, and a next-state
 * relation in which every step is the {@code CoopRing} action the next event names,
 * constrained by the event's fields. TLC then decides whether the trace is a behaviour of
 * {@code CoopRing}: it prints TRACE_ACCEPTED if it matched every event, TRACE_INVARIANT if a
 * CoopRing invariant breaks on the way, and nothing if no CoopRing step matches an event (it
 * is stuck there: it found one state more than the events it matched).
 */
public final class RingTraceSpec {

    /** TLC's integers are 32-bit signed: the index modulus must keep {@code p + IdxMod - c} in range. */
    public static final long TLC_IDX_MOD = 1L << 29;

    private RingTraceSpec() {
    }

    /** The ring events of channel {@code k}, in order. */
    public static List<TraceEvent> channel(Trace t, int k) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e : t.events()) {
            if (RingAction.fromEvent(e.name()) != null && e.has("iopm") && e.get("iopm") == k) out.add(e);
        }
        return out;
    }

    /** Records per module at most: SANY's time grows faster than the literal it parses. */
    public static final int MODULE_RECORDS = 50_000;

    /**
     * A piece of a channel's events, {@code [from, to)} of them, starting at {@code start}
     * (null: the spec's Init) and, unless it is the last, ending where the next piece starts
     * ({@code end}). Its ids are renumbered from 1: a piece starts at a quiescent point (every
     * request answered), from which the channel behaves as from Init with its indexes shifted,
     * so TLC's per-state cost is bounded by a piece's length, not the trace's.
     */
    public record Piece(int from, int to, RingState start, RingState end) {
        long idBase() {
            return start == null ? 0 : start.nextId() - 1;
        }
    }

    /** The channel's events cut at {@code cuts} into pieces, and the pieces into modules of at most MODULE_RECORDS records. */
    public static List<List<Piece>> modules(List<TraceEvent> events, List<RingReplay.Cut> cuts) {
        List<Piece> pieces = new ArrayList<>();
        int from = 0;
        RingState start = null;
        for (RingReplay.Cut c : cuts) {
            if (c.after() <= from || c.after() >= events.size()) continue;
            pieces.add(new Piece(from, c.after(), start, c.state()));
            from = c.after();
            start = c.state();
        }
        pieces.add(new Piece(from, events.size(), start, null));
        List<List<Piece>> out = new ArrayList<>();
        List<Piece> cur = new ArrayList<>();
        int records = 0;
        for (Piece p : pieces) {
            if (!cur.isEmpty() && records + (p.to() - p.from()) > MODULE_RECORDS) {
                out.add(cur);
                cur = new ArrayList<>();
                records = 0;
            }
            cur.add(p);
            records += p.to() - p.from();
        }
        out.add(cur);
        return out;
    }

    public static String moduleName(int k, int m) {
        return "TraceCoopRing" + k + (m == 0 ? "" : "_" + m);
    }

    /** The trace-validation module of some pieces of channel {@code k}'s events. */
    public static String module(String name, List<TraceEvent> events, List<Piece> pieces, int k) {
        StringBuilder b = TraceModules.open(name, "channel " + k + " as a sequence of CoopRing steps, in "
                + pieces.size() + " piece(s)", "CoopRing, TLC, Integers");   // Integers: a renumbered stale id is negative
        b.append("VARIABLE seg  \\* the piece of the trace being matched\n\n");
        b.append("\\* Where each piece starts (the state at a quiescent point, ids renumbered from 1) and ends.\n");
        b.append("Start == <<\n");
        for (int i = 0; i < pieces.size(); i++) b.append("  ").append(state(pieces.get(i).start(), 0))
                .append(i + 1 < pieces.size() ? ",\n" : "\n");
        b.append(">>\n");
        b.append("End == <<\n");
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            b.append("  ").append(p.end() == null ? "[last |-> TRUE]" : state(p.end(), p.idBase()))
                    .append(i + 1 < pieces.size() ? ",\n" : "\n");
        }
        b.append(">>\n");
        b.append("TraceLog == <<\n");
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            b.append("  <<\n");
            for (int j = p.from(); j < p.to(); j++) {
                TraceEvent e = events.get(j);
                b.append("    [a |-> \"").append(RingAction.fromEvent(e.name()).tla()).append('"');
                b.append(", line |-> ").append(e.line());
                for (var f : e.fields().entrySet()) {
                    if (f.getKey().equals("iopm")) continue;
                    long v = f.getKey().equals("id") ? f.getValue() - p.idBase() : f.getValue();
                    b.append(", ").append(f.getKey()).append(" |-> ").append(v);
                }
                b.append(']').append(j + 1 < p.to() ? ",\n" : "\n");
            }
            b.append("  >>").append(i + 1 < pieces.size() ? ",\n" : "\n");
        }
        b.append(">>\n\n");
        b.append("""
                Ev == TraceLog[seg][pos + 1]
                Is(name) == pos < Len(TraceLog[seg]) /\\ Ev.a = name

                \\* Each event is the CoopRing action it names, with the effect its fields say.
                Match ==
                    \\/ Is("VmmWriteRequest") /\\ VmmWriteRequest
                       /\\ nextId = Ev.id /\\ reqPvt' = Ev.pvt
                    \\/ Is("VmmPublishRequests") /\\ VmmPublishRequests
                       /\\ reqProd' = Ev.prod /\\ NeedNotify(reqProd, reqPvt, reqEvent) = (Ev.notify = 1)
                    \\/ Is("VmmConsumeResponse") /\\ VmmConsumeResponse
                       /\\ rspRing[Slot(rspCons)] = Ev.id /\\ rspCons' = Ev.cons
                    \\/ Is("VmmDeclareIopmBroken") /\\ VmmDeclareIopmBroken /\\ rspProd = Ev.prod
                    \\/ Is("VmmPrepareSleep") /\\ VmmPrepareSleep /\\ rspEvent' = Ev.event
                    \\/ Is("VmmFinalCheck") /\\ VmmFinalCheck /\\ (vmmPc' = "sleep") = (Ev.sleep = 1)
                    \\/ Is("VmmWake") /\\ VmmWake
                    \\/ Is("VmmSpuriousWake") /\\ VmmSpuriousWake
                    \\/ Is("IopmConsume") /\\ IopmConsume
                       /\\ reqRing[Slot(reqCons)] = Ev.id /\\ reqCons' = Ev.cons
                    \\/ Is("IopmWriteResponse") /\\ IopmWriteResponse
                       /\\ Head(pending) = Ev.id /\\ rspPvt' = Ev.pvt
                    \\/ Is("IopmPublishResponses") /\\ IopmPublishResponses
                       /\\ rspProd' = Ev.prod /\\ NeedNotify(rspProd, rspPvt, rspEvent) = (Ev.notify = 1)
                    \\/ Is("IopmPublishBogus") /\\ Ev.prod \\in Idx /\\ IopmPublishBogusTo(Ev.prod)
                    \\/ Is("IopmPrepareSleep") /\\ IopmPrepareSleep /\\ reqEvent' = Ev.event
                    \\/ Is("IopmFinalCheck") /\\ IopmFinalCheck /\\ (iopmPc' = "sleep") = (Ev.sleep = 1)
                    \\/ Is("IopmWake") /\\ IopmWake
                    \\/ Is("IopmSpuriousWake") /\\ IopmSpuriousWake
                """);
        // Not ResponsesAnswerOutstanding: quadratic in a piece's length; the model replay
        // checks it, and ResponsesInOrder with RequestsInOrder implies it.
        b.append(TraceModules.closePieces("CoopRing", List.of("TypeOK", "NoOverflow", "NoUnderflow", "RequestsInOrder",
                "ResponsesInOrder"), STARTS, ENDS));
        return b.toString();
    }

    /** A piece's first state: Start[seg]'s words, empty rings, no request yet. */
    private static final String STARTS = """
            FromStart(st) ==
                /\\ reqProd = st.reqProd /\\ rspCons = st.rspCons /\\ rspEvent = st.rspEvent
                /\\ rspProd = st.rspProd /\\ reqCons = st.reqCons /\\ reqEvent = st.reqEvent
                /\\ reqRing = [s \\in 0 .. N - 1 |-> 0] /\\ rspRing = [s \\in 0 .. N - 1 |-> 0]
                /\\ reqPvt = st.reqPvt /\\ nextId = 1 /\\ rspGot = <<>>
                /\\ vmmPc = st.vmmPc /\\ iopmTrusted = TRUE
                /\\ rspPvt = st.rspPvt /\\ reqGot = <<>> /\\ pending = <<>> /\\ iopmPc = st.iopmPc
                /\\ ipiVmm = st.ipiVmm /\\ ipiIopm = st.ipiIopm
            """;

    /** A piece's last state is where the next one starts: the same words, every request answered. */
    private static final String ENDS = """
            AtEnd(st) ==
                \\/ "last" \\in DOMAIN st
                \\/ /\\ reqProd = st.reqProd /\\ rspCons = st.rspCons /\\ rspEvent = st.rspEvent
                   /\\ rspProd = st.rspProd /\\ reqCons = st.reqCons /\\ reqEvent = st.reqEvent
                   /\\ reqPvt = st.reqPvt /\\ rspPvt = st.rspPvt /\\ vmmPc = st.vmmPc /\\ iopmPc = st.iopmPc
                   /\\ ipiVmm = st.ipiVmm /\\ ipiIopm = st.ipiIopm /\\ iopmTrusted
                   /\\ nextId = st.nextId /\\ Len(rspGot) = st.nextId - 1 /\\ Len(reqGot) = st.nextId - 1
                   /\\ pending = <<>>
            """;

    /** A state's words as a TLA+ record; {@code nextId} renumbered by {@code idBase}. */
    private static String state(RingState s, long idBase) {
        if (s == null) return "[reqProd |-> 0, rspCons |-> 0, rspEvent |-> 1, rspProd |-> 0, reqCons |-> 0, reqEvent |-> 1,"
                + " reqPvt |-> 0, rspPvt |-> 0, vmmPc |-> \"run\", iopmPc |-> \"run\", ipiVmm |-> FALSE,"
                + " ipiIopm |-> FALSE, nextId |-> 1]";
        return "[reqProd |-> " + s.reqProd() + ", rspCons |-> " + s.rspCons() + ", rspEvent |-> " + s.rspEvent()
                + ", rspProd |-> " + s.rspProd() + ", reqCons |-> " + s.reqCons() + ", reqEvent |-> " + s.reqEvent()
                + ", reqPvt |-> " + s.reqPvt() + ", rspPvt |-> " + s.rspPvt() + ", vmmPc |-> \"" + s.vmmPc().tla()
                + "\", iopmPc |-> \"" + s.iopmPc().tla() + "\", ipiVmm |-> " + tla(s.ipiVmm()) + ", ipiIopm |-> "
                + tla(s.ipiIopm()) + ", nextId |-> " + (s.nextId() - idBase) + "]";
    }

    private static String tla(boolean b) {
        return b ? "TRUE" : "FALSE";
    }

    /** The constants of a module of pieces: MaxReq the most requests one piece writes. */
    public static String config(List<TraceEvent> events, List<Piece> pieces, int ringSlots) {
        long writes = 0;
        for (Piece p : pieces) {
            long w = 0;
            for (int j = p.from(); j < p.to(); j++) if (events.get(j).name().equals("vmm.write_request")) w++;
            writes = Math.max(writes, w);
        }
        return "\\* Generated by ./coop: the bound of one traced channel.\n"
                + "CONSTANTS\n"
                + "    N = " + ringSlots + "\n"
                + "    IdxMod = " + TLC_IDX_MOD + "\n"
                + "    MaxReq = " + Math.max(1, writes) + "\n"
                + "    PeerFaults = TRUE\n"
                + TraceModules.CONFIG_TAIL;
    }
}
