package coopvmm.conformance.order;

import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqConfig;
import coopvmm.model.irq.IrqId;
import coopvmm.model.irq.IrqState;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes the per-CPU v2 logs of one behaviour of the routing model (a random walk of
 * {@link Irq}, then a drain until every interrupt is handled and every stopped IOPM failed
 * over), each record with the routing words the reference VMM's step reads and writes
 * (docs/trace-format.md, "Routing events in v2"): the VMM's appends publish {@code irq_prod.k}
 * and fence; a take reads it; a handle writes {@code irq_cons.k}; a clock tick reads every
 * beat (and the stop mark of an IOPM it finds without one), then moves {@code irq_clock}; an
 * IOPM's tick copies the clock into its beat; a stop writes its mark. The logs are written one
 * CPU after the other, so only the values order them. No ring requests (MaxReq is ignored):
 * the ring's records are what order a request and its answer. For the tests.
 */
public final class RoutingLogGenerator {

    /** The lines of the file, and the number of records. */
    public record Logs(List<String> lines, int records) {}

    private final IrqConfig c;
    private final List<List<String>> byCpu = new ArrayList<>();
    private final long[] prod, cons, beat;
    private final boolean[] stopped;
    private long clock;

    private RoutingLogGenerator(IrqConfig c) {
        this.c = c;
        for (int i = 0; i <= c.nIopm(); i++) byCpu.add(new ArrayList<>());
        prod = new long[c.nIopm() + 1];
        cons = new long[c.nIopm() + 1];
        beat = new long[c.nIopm() + 1];
        stopped = new boolean[c.nIopm() + 1];
    }

    public static Logs write(IrqConfig c, int steps, long seed) {
        return new RoutingLogGenerator(c).walk(steps, seed);
    }

    private Logs walk(int steps, long seed) {
        Irq irq = new Irq(c);
        Random rnd = new Random(seed);
        IrqState s = IrqState.init(c);
        Set<IrqAction> work = EnumSet.of(IrqAction.VMM_ACCEPT, IrqAction.VMM_HANDLE, IrqAction.VMM_ROUTE,
                IrqAction.VMM_DETECT_FAILURE, IrqAction.IOPM_TAKE, IrqAction.IOPM_HANDLE, IrqAction.IOPM_TICK);
        for (int k = 0; k < 100_000; k++) {
            List<Irq.Step> next = new ArrayList<>(irq.successors(s));
            next.removeIf(x -> x.action() == IrqAction.VMM_REQUEST || x.action() == IrqAction.IOPM_ANSWER);
            if (k >= steps) {
                if (s.nHandled() == s.nRaised() && allDetected(s)) break;
                List<Irq.Step> w = next.stream().filter(x -> work.contains(x.action())).toList();
                next = w.isEmpty() ? next.stream().filter(x -> x.action() == IrqAction.CLOCK_TICK).toList() : w;
            }
            if (next.isEmpty()) break;
            Irq.Step st = next.get(rnd.nextInt(next.size()));
            record(irq, st, s);
            s = st.next();
        }
        add(0, "run.end status=0 requests=0 irqs=" + s.nHandled());
        List<String> lines = new ArrayList<>();
        lines.add("# coop-trace v=2 build=model cpus=" + (c.nIopm() + 1) + " iopms=" + c.nIopm()
                + " ring_slots=16 slot_size=64 scenario=irq seed=" + seed);
        lines.add("# irq devices=" + c.nDev() + " vmm_devices=" + c.nVmmDev() + " miss_limit=" + c.missLimit()
                + " tick_ms=50 iopm_tick_ms=1");
        for (int d = 0; d < c.nDev(); d++) lines.add("# device " + d + " dev" + d + " pin=" + (3 + d) + " vector=" + (48 + d));
        int records = 0;
        for (int cpu = 0; cpu <= c.nIopm(); cpu++) {
            List<String> l = byCpu.get(cpu);
            for (int i = 0; i < l.size(); i++) lines.add(cpu + " " + i + " " + l.get(i));
            records += l.size();
            if (cpu == 0 || !stopped[cpu]) lines.add(cpu + " " + l.size() + " log.end");   // a stopped CPU's log is cut
        }
        return new Logs(lines, records);
    }

    private boolean allDetected(IrqState s) {
        for (int i = 1; i <= c.nIopm(); i++) if (!s.up(i) && !s.failed(i) && s.live().size() > 1) return false;
        return true;
    }

    private void add(int cpu, String record) {
        byCpu.get(cpu).add(record);
    }

    /** The step's record, on its CPU (IOPM i on cpu i, the VMM on cpu 0), with its accesses. */
    private void record(Irq irq, Irq.Step st, IrqState s) {
        IrqState t = st.next();
        int p = st.param();
        switch (st.action()) {
            case DEVICE_RAISE -> add(0, "irq.device_raise dev=" + (p - 1));
            case VMM_ACCEPT -> add(0, "vmm.accept dev=" + (t.vmmIsr().dev() - 1) + " n=" + t.vmmIsr().k());
            case VMM_HANDLE -> add(0, "vmm.handle dev=" + (s.vmmIsr().dev() - 1) + " n=" + s.vmmIsr().k());
            case VMM_ROUTE -> {
                int i = s.route(s.vmmIsr().dev());
                add(0, "vmm.route dev=" + (s.vmmIsr().dev() - 1) + " n=" + s.vmmIsr().k() + " iopm=" + (i - 1) + append(i));
            }
            case CLOCK_TICK -> {
                StringBuilder b = new StringBuilder();
                int missed = 0;
                for (int i = 1; i <= c.nIopm(); i++) {
                    if (s.failed(i)) continue;
                    b.append(" r:irq_beat.").append(i - 1).append('=').append(beat[i]);
                    if (beat[i] == clock) continue;
                    b.append(" r:irq_stop.").append(i - 1).append('=').append(stopped[i] ? 1 : 0);
                    missed |= 1 << (i - 1);
                }
                add(0, "irq.clock_tick missed=" + missed + b.append(" w:irq_clock=").append(++clock));
            }
            case IOPM_STOP -> {
                stopped[p] = true;
                add(p, "iopm.stop iopm=" + (p - 1) + " w:irq_stop." + (p - 1) + "=1");
            }
            case VMM_DETECT_FAILURE -> {
                List<Integer> others = new ArrayList<>(s.live());
                others.remove(Integer.valueOf(p));
                StringBuilder b = new StringBuilder("vmm.detect_failure iopm=" + (p - 1) + " redelivered=" + s.pend(p).size()
                        + " requeued=" + s.ringReq(p) + " to=" + (irq.requeueTo(t.route(), others) - 1)
                        + " r:irq_cons." + (p - 1) + "=" + cons[p]);
                for (IrqId x : s.pend(p)) b.append(append(t.route(x.dev())));
                add(0, b.toString());
            }
            case IOPM_TAKE -> add(p, "iopm.take iopm=" + (p - 1) + " dev=" + (t.iopmIsr(p).dev() - 1) + " n="
                    + t.iopmIsr(p).k() + " r:irq_prod." + (p - 1) + "=" + prod[p]);
            case IOPM_HANDLE -> add(p, "iopm.handle iopm=" + (p - 1) + " dev=" + (s.iopmIsr(p).dev() - 1) + " n="
                    + s.iopmIsr(p).k() + " w:irq_cons." + (p - 1) + "=" + ++cons[p]);
            case IOPM_TICK -> {
                beat[p] = clock;
                add(p, "iopm.tick iopm=" + (p - 1) + " r:irq_clock=" + clock + " w:irq_beat." + (p - 1) + "=" + clock);
            }
            default -> throw new IllegalStateException("not generated: " + st.action());
        }
    }

    /** An append to IOPM i's list: its publish and the barrier before the IPI. */
    private String append(int i) {
        return " w:irq_prod." + (i - 1) + "=" + ++prod[i] + " mb";
    }
}
