package coopvmm.conformance.agreement;

import coopvmm.model.guestio.Dir;
import coopvmm.model.guestio.Exit;
import coopvmm.model.guestio.GuestIo;
import coopvmm.model.guestio.GuestIoState;
import coopvmm.model.guestio.Mode;
import coopvmm.model.guestio.Request;
import coopvmm.model.guestio.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The Java guest I/O model as {@code GuestIo.tla} sees it. */
public final class GuestIoSpecModel implements SpecModel<GuestIoState> {

    private final GuestIo io;

    public GuestIoSpecModel(GuestIo io) {
        this.io = io;
    }

    @Override
    public GuestIoState fromTla(Map<String, Object> v) {
        return new GuestIoState(
                ints(get(v, "rip")), ints(get(v, "rax")),
                seqOf(get(v, "mode"), o -> Mode.fromTla((String) o)),
                seqOf(get(v, "exit"), GuestIoSpecModel::exit),
                ints(get(v, "route")), bools(get(v, "failed")),
                seqOf(get(v, "reqQ"), q -> seqOf(q, GuestIoSpecModel::request)),
                seqOf(get(v, "rspQ"), q -> seqOf(q, GuestIoSpecModel::response)),
                bools(get(v, "up")), ints(get(v, "dev")),
                seqOf(get(v, "execs"), GuestIoSpecModel::ints),
                seqOf(get(v, "computed"), GuestIoSpecModel::ints),
                seqOf(get(v, "completions"), GuestIoSpecModel::ints),
                ints(get(v, "appliedFrom")));
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

    private static Object get(Map<String, Object> v, String name) {
        Object o = v.get(name);
        if (o == null) throw new IllegalArgumentException("GuestIo state without variable " + name);
        return o;
    }

    private static Object field(Object rec, String name) {
        if (!(rec instanceof Map<?, ?> m) || !m.containsKey(name))
            throw new IllegalArgumentException("not a record with field " + name + ": " + rec);
        return m.get(name);
    }

    private static int num(Object o) {
        return ((Long) o).intValue();
    }

    /** [rip |-> a, port |-> d, dir |-> "in", data |-> x]; the spec's NoExit is {@link Exit#NONE}. */
    private static Exit exit(Object o) {
        return new Exit(num(field(o, "rip")), num(field(o, "port")), Dir.fromTla((String) field(o, "dir")),
                num(field(o, "data")));
    }

    private static Request request(Object o) {
        return new Request(num(field(o, "vcpu")), num(field(o, "rip")), num(field(o, "port")),
                Dir.fromTla((String) field(o, "dir")), num(field(o, "data")));
    }

    private static Response response(Object o) {
        return new Response(num(field(o, "vcpu")), num(field(o, "rip")), num(field(o, "result")));
    }

    /** A function with domain 1..n (or a sequence): TLC prints {@code <<a, b>>}, parsed as a List. */
    private static List<?> list(Object o) {
        if (o instanceof List<?> l) return l;
        throw new IllegalArgumentException("not a sequence: " + o);
    }

    private static List<Integer> ints(Object o) {
        List<Integer> out = new ArrayList<>();
        for (Object x : list(o)) out.add(num(x));
        return out;
    }

    private static List<Boolean> bools(Object o) {
        List<Boolean> out = new ArrayList<>();
        for (Object x : list(o)) out.add((Boolean) x);
        return out;
    }

    private static <T> List<T> seqOf(Object o, Function<Object, T> f) {
        List<T> out = new ArrayList<>();
        for (Object x : list(o)) out.add(f.apply(x));
        return out;
    }
}
