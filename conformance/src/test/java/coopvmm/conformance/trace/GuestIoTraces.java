package coopvmm.conformance.trace;

import coopvmm.model.guestio.Answer;
import coopvmm.model.guestio.Command;
import coopvmm.model.guestio.Dir;
import coopvmm.model.guestio.Exit;
import coopvmm.model.guestio.GuestIo;
import coopvmm.model.guestio.GuestIoAction;
import coopvmm.model.guestio.GuestIoConfig;
import coopvmm.model.guestio.GuestIoState;
import coopvmm.model.guestio.Request;
import coopvmm.model.guestio.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Traces written from random behaviours of the guest I/O model, with the events and fields of
 * docs/trace-format.md ("Guest I/O events"): known-good input for {@link GuestIoReplay}, and
 * the raw material of the corrupted copies its tests feed it.
 */
final class GuestIoTraces {

    private GuestIoTraces() {
    }

    /**
     * Trace lines of one behaviour, to every guest halted: each step a uniform choice among
     * the enabled actions but the failures, which (when {@code failures}) are taken about one
     * step in {@code failEvery}. The other actions all make progress and one of them is always
     * enabled, so the walk ends.
     */
    static List<String> walk(GuestIoConfig c, boolean failures, int failEvery, long seed) {
        return walk(c, failures, failEvery, seed, -1);
    }

    /**
     * As {@link #walk(GuestIoConfig, boolean, int, long)}; from step {@code stopFrom} on (-1:
     * never) the VMM stops vCPU 1 (0 in the trace) the first time it may: a bad guest.
     */
    static List<String> walk(GuestIoConfig c, boolean failures, int failEvery, long seed, int stopFrom) {
        GuestIo io = new GuestIo(c);
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        out.add("# coop-trace v=1 build=model cpus=" + (c.nIopm() + 1) + " iopms=" + c.nIopm()
                + " ring_slots=16 slot_size=64 scenario=guestio seed=" + seed);
        out.add("# guestio vcpus=" + c.nVcpu() + " devices=" + c.nDev() + " insns=" + c.nInsn() + " max_fail=" + c.maxFail()
                + (c.nAdmin() > 0 ? " admin=" + c.nAdmin() : ""));
        GuestIoState s = GuestIoState.init(c);
        long seq = 0;
        int completed = 0;
        boolean stopped = false;
        for (int k = 0; k < 100_000 && !halted(io, c, s); k++) {
            List<GuestIo.Step> fails = new ArrayList<>(), others = new ArrayList<>();
            for (GuestIo.Step st : io.successors(s)) {
                if (st.action() == GuestIoAction.VMM_STOP_GUEST && st.param() == 1 && !stopped && stopFrom >= 0
                        && k >= stopFrom) {
                    others.clear();
                    fails.clear();
                    others.add(st);
                    stopped = true;
                    break;
                }
                if (st.action() == GuestIoAction.IOPM_FAIL) fails.add(st);
                else if (st.action() != GuestIoAction.FINISHED && st.action() != GuestIoAction.VMM_STOP_GUEST)
                    others.add(st);             // a stop is the VMM's answer to a bad guest: these are good ones
            }
            boolean fail = failures && !fails.isEmpty() && (others.isEmpty() || rnd.nextInt(failEvery) == 0);
            List<GuestIo.Step> from = fail ? fails : others;
            if (from.isEmpty()) throw new IllegalStateException("the model deadlocked: " + s);
            GuestIo.Step st = from.get(rnd.nextInt(from.size()));
            boolean iopmSide = st.action() == GuestIoAction.IOPM_SERVE || st.action() == GuestIoAction.IOPM_FAIL
                    || st.action() == GuestIoAction.IOPM_ISSUE_COMMAND || st.action() == GuestIoAction.IOPM_TAKE_ANSWER;
            out.add(seq++ + " " + (iopmSide ? st.param() : 0) + " " + (1000 + seq * 10) + " " + st.action().event()
                    + fields(c, st, s));
            if (st.action() == GuestIoAction.VMM_COMPLETE_EXIT) completed++;
            s = st.next();
        }
        out.add(seq + " 0 " + (1000 + seq * 10) + " run.end status=0 requests=" + completed);
        return out;
    }

    /** {@code Finished} enabled: every guest halted, stopped or destroyed (or orphaned by a stopped console). */
    private static boolean halted(GuestIo io, GuestIoConfig c, GuestIoState s) {
        return io.finished(s).isPresent();
    }

    /** The fields of step {@code st} out of {@code s}, as the doc's table has them (indexes from 0). */
    private static String fields(GuestIoConfig c, GuestIo.Step st, GuestIoState s) {
        GuestIoState t = st.next();
        int p = st.param();
        return switch (st.action()) {
            case VMM_CAPTURE_EXIT -> {
                Exit x = t.exit(p);
                yield " vcpu=" + (p - 1) + " rip=" + x.rip() + " port=" + (x.port() - 1) + " dir=" + (x.dir() == Dir.IN ? 1 : 0)
                        + " data=" + x.data() + " reg=" + c.reg(c.insn(x.rip())).code();
            }
            case VMM_SUBMIT_EXIT -> " vcpu=" + (p - 1) + " rip=" + s.exit(p).rip() + " iopm=" + (s.route(s.exit(p).port()) - 1);
            case IOPM_SERVE -> {
                Request r = s.reqQ(p).get(0);
                Response done = t.rspQ(p).get(t.rspQ(p).size() - 1);
                yield " iopm=" + (p - 1) + " vcpu=" + (r.vcpu() - 1) + " rip=" + r.rip() + " result=" + done.result();
            }
            case VMM_COMPLETE_EXIT -> {
                Response r = s.rspQ(p).get(0);
                yield " iopm=" + (p - 1) + " vcpu=" + (r.vcpu() - 1) + " rip=" + r.rip() + " result=" + r.result();
            }
            case VMM_RESUME_GUEST -> " vcpu=" + (p - 1) + " rip=" + t.rip(p) + " al=" + t.rax(p);
            case VMM_FAILOVER -> {
                int to = 0;
                for (int i = 1; i <= s.failed().size() && to == 0; i++) if (i != p && !s.failed(i)) to = i;
                yield " iopm=" + (p - 1) + " to=" + (to - 1) + " reissued=" + s.reqQ(p).size();
            }
            case IOPM_FAIL -> " iopm=" + (p - 1);
            case VMM_STOP_GUEST -> " vcpu=" + (p - 1) + " exit_code=19 rip=" + s.rip(p);
            case GUEST_CHECK -> " vcpu=" + (p - 1) + " al=" + s.rax(p) + " pass=" + (s.rax(p) == p ? 1 : 0);
            case IOPM_ISSUE_COMMAND -> {
                Command x = t.cmdQ(p).get(t.cmdQ(p).size() - 1);
                yield " iopm=" + (p - 1) + " n=" + x.n() + " op=" + x.op().code() + " vcpu=" + (x.vcpu() - 1);
            }
            case VMM_CARRY_OUT_COMMAND -> {
                Command x = s.cmdQ(p).get(0);
                Answer ans = t.ansQ(p).get(t.ansQ(p).size() - 1);
                yield " iopm=" + (p - 1) + " n=" + x.n() + " op=" + x.op().code() + " vcpu=" + (x.vcpu() - 1) + " ok=" + (ans.ok() ? 1 : 0);
            }
            case IOPM_TAKE_ANSWER -> " iopm=" + (p - 1) + " n=" + s.ansQ(p).get(0).n() + " ok=" + (s.ansQ(p).get(0).ok() ? 1 : 0);
            case FINISHED -> throw new IllegalArgumentException("Finished is no event");
        };
    }
}
