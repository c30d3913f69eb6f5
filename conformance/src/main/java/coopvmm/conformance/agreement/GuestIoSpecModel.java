package coopvmm.conformance.agreement;

import coopvmm.model.guestio.Answer;
import coopvmm.model.guestio.Command;
import coopvmm.model.guestio.Dir;
import coopvmm.model.guestio.Disk;
import coopvmm.model.guestio.Exit;
import coopvmm.model.guestio.GuestIo;
import coopvmm.model.guestio.GuestIoState;
import coopvmm.model.guestio.Mode;
import coopvmm.model.guestio.Op;
import coopvmm.model.guestio.Request;
import coopvmm.model.guestio.Response;

import static coopvmm.conformance.agreement.TlaState.bools;
import static coopvmm.conformance.agreement.TlaState.field;
import static coopvmm.conformance.agreement.TlaState.get;
import static coopvmm.conformance.agreement.TlaState.ints;
import static coopvmm.conformance.agreement.TlaState.num;
import static coopvmm.conformance.agreement.TlaState.seqOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Java guest I/O model as {@code GuestIo.tla} sees it. */
public final class GuestIoSpecModel implements SpecModel<GuestIoState> {

    private static final String SPEC = "GuestIo";

    private final GuestIo io;

    public GuestIoSpecModel(GuestIo io) {
        this.io = io;
    }

    @Override
    public GuestIoState fromTla(Map<String, Object> v) {
        return new GuestIoState(
                ints(get(v, SPEC, "rip")), ints(get(v, SPEC, "rax")),
                seqOf(get(v, SPEC, "mode"), o -> Mode.fromTla((String) o)),
                seqOf(get(v, SPEC, "exit"), GuestIoSpecModel::exit),
                ints(get(v, SPEC, "route")), bools(get(v, SPEC, "failed")),
                seqOf(get(v, SPEC, "reqQ"), q -> seqOf(q, GuestIoSpecModel::request)),
                seqOf(get(v, SPEC, "rspQ"), q -> seqOf(q, GuestIoSpecModel::response)),
                bools(get(v, SPEC, "up")), seqOf(get(v, SPEC, "dev"), GuestIoSpecModel::disk),
                seqOf(get(v, SPEC, "execs"), TlaState::ints),
                seqOf(get(v, SPEC, "computed"), TlaState::ints),
                seqOf(get(v, SPEC, "completions"), TlaState::ints),
                ints(get(v, SPEC, "appliedFrom")),
                seqOf(get(v, SPEC, "cmdQ"), q -> seqOf(q, GuestIoSpecModel::command)),
                seqOf(get(v, SPEC, "ansQ"), q -> seqOf(q, GuestIoSpecModel::answer)),
                num(get(v, SPEC, "issued")),
                seqOf(get(v, SPEC, "answered"), GuestIoSpecModel::answer));
    }

    @Override
    public List<GuestIoState> init() {
        return List.of(GuestIoState.init(io.config()));
    }

    /**
     * TLC labels a step of {@code \E v \in Vcpu : VmmCaptureExit(v) \/ ...} by the innermost
     * operator's name, {@code VmmCaptureExit}: the parameter is not in the label.
     */
    @Override
    public List<Move<GuestIoState>> successors(GuestIoState s) {
        List<Move<GuestIoState>> out = new ArrayList<>();
        for (GuestIo.Step st : io.successors(s)) out.add(new Move<>(st.action().tla(), st.next()));
        return out;
    }

    /** [rip |-> a, port |-> d, dir |-> "in", data |-> x]; the spec's NoExit is {@link Exit#NONE}. */
    private static Exit exit(Object o) {
        return new Exit(num(field(o, "rip")), num(field(o, "port")), Dir.fromTla((String) field(o, "dir")),
                num(field(o, "data")));
    }

    /** [sect |-> <<...>> (0-based: a function of 0..NVcpu), sel |-> <<...>>, stat |-> <<...>>]. */
    private static Disk disk(Object o) {
        return new Disk(fromZero(field(o, "sect")), ints(field(o, "sel")), ints(field(o, "stat")));
    }

    /** A function of 0..n, which TLC prints as {@code (0 :> a @@ 1 :> b ...)}, as a list from 0. */
    private static List<Integer> fromZero(Object o) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("not a function of 0..n: " + o);
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < m.size(); k++) {
            Object x = null;
            for (var e : m.entrySet()) if (num(e.getKey()) == k) x = e.getValue();
            if (x == null) throw new IllegalArgumentException("not a function of 0.." + (m.size() - 1) + ": " + o);
            out.add(num(x));
        }
        return out;
    }

    private static Request request(Object o) {
        return new Request(num(field(o, "vcpu")), num(field(o, "rip")), num(field(o, "port")),
                Dir.fromTla((String) field(o, "dir")), num(field(o, "data")));
    }

    private static Command command(Object o) {
        return new Command(num(field(o, "n")), Op.fromTla((String) field(o, "op")), num(field(o, "vcpu")));
    }

    private static Answer answer(Object o) {
        return new Answer(num(field(o, "n")), (Boolean) field(o, "ok"));
    }

    private static Response response(Object o) {
        return new Response(num(field(o, "vcpu")), num(field(o, "rip")), num(field(o, "result")));
    }
}
