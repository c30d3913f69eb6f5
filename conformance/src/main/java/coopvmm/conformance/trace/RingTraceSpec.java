package coopvmm.conformance.trace;

import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingState;

import coopvmm.conformance.tlc.TraceData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * Writes a trace-validation module for one channel of a trace (in the style of the CCF and
 * etcd-raft trace validation): a next-state relation in which every step is the
 * {@code CoopRing} action the next event names, constrained by the event's fields. The
 * events are not in the module: TLC reads them from a data file ({@link TraceData}), so
 * SANY's time does not grow with the trace. The channel comes in pieces cut at quiescent
 * points, ids renumbered in each, so TLC's per-state cost does not grow with it either. TLC
 * then decides whether the trace is a behaviour of {@code CoopRing}: no error when it matched
 * every event; an invariant of CoopRing violated; or a deadlock, where no CoopRing step
 * matches an event (or a piece does not end where the next one starts).
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

    /** Records per module at most: bounds the memory of one TLC run (the trace is data, not parsed). */
    public static final int MODULE_RECORDS = 500_000;

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

    /** The events of some pieces, as {@link TraceData} writes them for TLC: ids renumbered, the channel dropped. */
    public static List<List<TraceData.Event>> data(List<TraceEvent> events, List<Piece> pieces) {
        List<List<TraceData.Event>> out = new ArrayList<>(pieces.size());
        for (Piece p : pieces) {
            List<TraceData.Event> evs = new ArrayList<>(p.to() - p.from());
            for (int j = p.from(); j < p.to(); j++) {
                TraceEvent e = events.get(j);
                Map<String, Long> f = new LinkedHashMap<>();
                for (var kv : e.fields().entrySet()) {
                    if (kv.getKey().equals("iopm")) continue;
                    f.put(kv.getKey(), kv.getKey().equals("id") ? kv.getValue() - p.idBase() : kv.getValue());
                }
                evs.add(new TraceData.Event(RingAction.fromEvent(e.name()).tla(), e.line(), f));
            }
            out.add(evs);
        }
        return out;
    }

    /**
     * The trace-validation module of some pieces of channel {@code k}'s events, whose events
     * TLC reads from {@code data} (written by {@link TraceData#write} from {@link #data}).
     */
    public static String module(String name, List<Piece> pieces, int k, Path data) {
        StringBuilder b = TraceModules.open(name, "channel " + k + " as a sequence of CoopRing steps, in "
                + pieces.size() + " piece(s)", "CoopRing, TraceData, TLC, Integers");   // Integers: a renumbered stale id is negative
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
        b.append("\\* The pieces' events (TraceData.tla): one sequence of records per piece.\n");
        b.append("TraceLog == Pieces(\"").append(data.toAbsolutePath().toString().replace("\\", "\\\\")).append("\")\n\n");
        b.append(MATCH);
        b.append(TraceModules.closePieces(STARTS, ENDS));
        return b.toString();
    }

    /**
     * {@code Match(e)}: event e is the CoopRing action it names, with the effect its v1 fields
     * say (shared with {@link RingTwoCursorSpec}).
     */
    static final String MATCH = """
                \\* Event e is the CoopRing action it names, with the effect its fields say. A CASE
                \\* rather than a disjunction: TLC tries one action per state, not twenty.
                Match(e) ==
                    CASE e.a = "VmmWriteRequest" -> VmmWriteRequest /\\ nextId = e.id /\\ reqPvt' = e.pvt
                      [] e.a = "VmmPublishRequests" -> VmmPublishRequests /\\ reqProd' = e.prod
                      [] e.a = "VmmNotifyIopm" -> VmmNotifyIopm
                            /\\ NeedNotify(reqNotifyFrom, reqProd, reqEvent) = (e.notify = 1)
                      [] e.a = "VmmSendIpi" -> VmmSendIpi
                      [] e.a = "VmmConsumeResponse" -> VmmConsumeResponse
                            /\\ rspRing[Slot(rspCons)] = e.id /\\ rspCons' = e.cons
                      [] e.a = "VmmDeclareIopmBroken" -> VmmDeclareIopmBroken /\\ rspProd = e.prod
                      [] e.a = "VmmSeeIdle" -> VmmSeeIdle
                      [] e.a = "VmmPrepareSleep" -> VmmPrepareSleep /\\ rspEvent' = e.event
                      [] e.a = "VmmFinalCheck" -> VmmFinalCheck /\\ (vmmPc' = "sleep") = (e.sleep = 1)
                      [] e.a = "VmmWake" -> VmmWake
                      [] e.a = "VmmSpuriousWake" -> VmmSpuriousWake
                      [] e.a = "IopmConsume" -> IopmConsume
                            /\\ reqRing[Slot(reqCons)] = e.id /\\ reqCons' = e.cons
                      [] e.a = "IopmWriteResponse" -> IopmWriteResponse /\\ Head(pending) = e.id /\\ rspPvt' = e.pvt
                      [] e.a = "IopmPublishResponses" -> IopmPublishResponses /\\ rspProd' = e.prod
                      [] e.a = "IopmNotifyVmm" -> IopmNotifyVmm
                            /\\ NeedNotify(rspNotifyFrom, rspProd, rspEvent) = (e.notify = 1)
                      [] e.a = "IopmSendIpi" -> IopmSendIpi
                      [] e.a = "IopmPublishBogus" -> e.prod \\in Idx /\\ IopmPublishBogusTo(e.prod)
                      [] e.a = "IopmSeeIdle" -> IopmSeeIdle
                      [] e.a = "IopmPrepareSleep" -> IopmPrepareSleep /\\ reqEvent' = e.event
                      [] e.a = "IopmFinalCheck" -> IopmFinalCheck /\\ (iopmPc' = "sleep") = (e.sleep = 1)
                      [] e.a = "IopmWake" -> IopmWake
                      [] e.a = "IopmSpuriousWake" -> IopmSpuriousWake
                      [] OTHER -> FALSE

                """;

    /**
     * The CoopRing invariants TLC checks on every state of a piece. Not
     * ResponsesAnswerOutstanding: quadratic in a piece's length; the model replay checks it,
     * and ResponsesInOrder with RequestsInOrder implies it.
     */
    public static final List<String> INVARIANTS = List.of("TypeOK", "NoOverflow", "NoUnderflow", "RequestsInOrder",
            "ResponsesInOrder");

    /** A piece's first state: Start[seg]'s words, empty rings, no request yet. */
    private static final String STARTS = """
            FromStart(piece) ==
                LET st == piece IN   \\* evaluated once, not at every use of st
                /\\ reqProd = st.reqProd /\\ rspCons = st.rspCons /\\ rspEvent = st.rspEvent
                /\\ rspProd = st.rspProd /\\ reqCons = st.reqCons /\\ reqEvent = st.reqEvent
                /\\ reqRing = [s \\in 0 .. N - 1 |-> 0] /\\ rspRing = [s \\in 0 .. N - 1 |-> 0]
                /\\ reqPvt = st.reqPvt /\\ nextId = 1 /\\ rspGot = <<>>
                /\\ vmmPc = st.vmmPc /\\ iopmTrusted = TRUE
                /\\ rspPvt = st.rspPvt /\\ reqGot = <<>> /\\ pending = <<>> /\\ iopmPc = st.iopmPc
                /\\ ipiVmm = st.ipiVmm /\\ ipiIopm = st.ipiIopm
                /\\ reqNotifyFrom = 0 /\\ rspNotifyFrom = 0   \\* a cut is never inside a publish (nor ipi, idle)
            """;

    /** A piece's last state is where the next one starts: the same words, every request answered. */
    private static final String ENDS = """
            AtEnd(piece) ==
                LET st == piece IN   \\* evaluated once, not at every use of st
                IF "last" \\in DOMAIN st THEN TRUE
                ELSE /\\ reqProd = st.reqProd /\\ rspCons = st.rspCons /\\ rspEvent = st.rspEvent
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
        return constants(ringSlots, writes) + TraceModules.verdictConfigTail(INVARIANTS);
    }

    /** CoopRing's constants for a traced channel of {@code ringSlots} slots and {@code writes} requests. */
    static String constants(int ringSlots, long writes) {
        return "\\* Generated by ./coop: the bound of one traced channel.\n"
                + "CONSTANTS\n"
                + "    N = " + ringSlots + "\n"
                + "    IdxMod = " + TLC_IDX_MOD + "\n"
                + "    MaxReq = " + Math.max(1, writes) + "\n"
                + "    PeerFaults = TRUE\n";
    }
}
