package coopvmm.conformance.trace;

import coopvmm.model.boot.Boot;
import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootConfig;
import coopvmm.model.boot.BootState;
import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqConfig;
import coopvmm.model.irq.IrqState;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Traces written from random behaviours of the Java models, in the format the C emits
 * (docs/trace-format.md), with made-up but consistent physical addresses: known-good input
 * for the checkers, and the raw material of the corrupted copies the tests feed them.
 */
final class ModelTraces {

    static final long VMM_LO = 0x100000, VMM_HI = 0x800000, SHARED_LO = 0x800000, SHARED_HI = 0x808000;
    static final long ZONE_BASE = 0x1000000, ZONE_SIZE = 0x400000, IMAGE_OFF = 0x100000, CHUNK = 0x24000;
    static final long RM_BASE = 0x70000, PAGE = 0x1000;

    private ModelTraces() {
    }

    /** Trace lines of one behaviour of the boot model, to the end of the boot. */
    static List<String> boot(BootConfig c, long seed) {
        Boot boot = new Boot(c);
        Random rnd = new Random(seed);
        int v = c.nVmmAps();
        List<String> out = header(c.numAps() - v, "boot", seed);
        out.add("# boot pm_units=" + c.pmSize() + " max_tries=" + c.maxTries() + " slow_by=" + c.slowBy()
                + " slow_mask=" + (mask(c.slow()) >> v) + " dead_mask=" + (mask(c.dead()) >> v)
                + " rogue_mask=" + (mask(c.rogue()) >> v) + (v > 0 ? " vmm_aps=" + v : ""));
        BootState s = BootState.init(c);
        long seq = 0;
        for (int step = 0; step < 10_000; step++) {
            List<Boot.Step> next = new ArrayList<>(boot.successors(s).stream()
                    .filter(x -> x.action() != BootAction.FINISHED).toList());
            if (next.isEmpty()) break;
            Boot.Step st = next.get(rnd.nextInt(next.size()));
            out.add(seq++ + " " + cpu(st.action().side() == BootAction.Side.AP ? st.ap() : 0) + " " + (1000 + seq * 10)
                    + " " + st.action().event() + bootFields(c, st, s));
            s = st.next();
        }
        out.add(seq + " 0 " + (1000 + seq * 10) + " run.end status=0 requests=0 vmm_zone_intact=1");
        return out;
    }

    private static String bootFields(BootConfig c, Boot.Step st, BootState s) {
        int ap = st.action().perAp() ? st.ap() : s.cur();
        boolean vmmAp = c.vmmAp(ap);   // the VMM's own AP: named vmm_ap=, its block names the VMM zone
        long lo = vmmAp ? VMM_LO : ZONE_BASE + (ap - 1 - c.nVmmAps()) * ZONE_SIZE, size = vmmAp ? VMM_HI - VMM_LO : ZONE_SIZE;
        String f = vmmAp ? " vmm_ap=" + (ap - 1) : " iopm=" + (ap - 1 - c.nVmmAps());
        return f + switch (st.action()) {
            case VMM_ALLOC_ZONE -> " lo=" + lo + " hi=" + (lo + ZONE_SIZE);
            case VMM_WRITE_HANDOFF -> s.handoffOf(ap).entry() == 0 ? " entry=" + (lo + (vmmAp ? PAGE : IMAGE_OFF + PAGE))
                    : s.handoffOf(ap).lo() == 0 ? " lo=" + lo + " hi=" + (lo + size) : " shared=" + SHARED_LO;
            case VMM_COPY_REAL_MODE -> " at=" + (RM_BASE + (ap - 1) * PAGE) + " size=" + PAGE;
            case VMM_COPY_PROT_MODE -> " unit=" + s.copied() + " at=" + (lo + IMAGE_OFF + s.copied() * CHUNK) + " size=" + CHUNK;
            case VMM_SEND_INIT -> " try=" + (s.triesOf(ap) + 1);
            case VMM_SEND_SIPI -> " vector=" + ((RM_BASE >> 12) + ap - 1);
            case VMM_SEE_FAULT -> " addr=" + (VMM_HI - 16);
            case IOPM_STRAY_WRITE -> " addr=" + addressOf(c, s, st.unit()) + " eip=1052672";
            default -> "";
        };
    }

    /** An address in the memory a spec unit stands for. */
    private static long addressOf(BootConfig c, BootState s, int u) {
        if (c.inVmmZone(u)) return VMM_HI - 16;
        if (u == c.sharedAt()) return SHARED_LO + 16;
        for (int a = 1; a <= c.numAps(); a++)
            if (s.zoneOf(a).contains(u)) return ZONE_BASE + (a - 1 - c.nVmmAps()) * ZONE_SIZE + 16;
        return 0x500;   // below 1 MiB, the BIOS data area
    }

    /** Trace lines of one behaviour of the routing model: random steps, then a drain to the end. */
    static List<String> irq(IrqConfig c, int steps, long seed) {
        Irq irq = new Irq(c);
        Random rnd = new Random(seed);
        List<String> out = header(c.nIopm(), "irq", seed);
        out.add("# irq devices=" + c.nDev() + " vmm_devices=" + c.nVmmDev() + " miss_limit=" + c.missLimit()
                + " tick_ms=50 iopm_tick_ms=1");
        for (int d = 0; d < c.nDev(); d++) out.add("# device " + d + " dev" + d + " pin=" + (3 + d) + " vector=" + (48 + d));
        IrqState s = IrqState.init(c);
        Set<IrqAction> work = EnumSet.of(IrqAction.VMM_ACCEPT, IrqAction.VMM_HANDLE, IrqAction.VMM_ROUTE,
                IrqAction.VMM_DETECT_FAILURE, IrqAction.IOPM_TAKE, IrqAction.IOPM_HANDLE, IrqAction.IOPM_ANSWER,
                IrqAction.IOPM_TICK);
        long seq = 0;
        for (int k = 0; k < 100_000; k++) {
            List<Irq.Step> next = irq.successors(s);
            if (k >= steps) {
                boolean settled = s.nHandled() == s.nRaised() && s.answered() == s.issued()
                        && allDetected(c, s);
                if (settled) break;
                List<Irq.Step> w = next.stream().filter(x -> work.contains(x.action())).toList();
                next = w.isEmpty() ? next.stream().filter(x -> x.action() == IrqAction.CLOCK_TICK).toList() : w;
            }
            if (next.isEmpty()) break;
            Irq.Step st = next.get(rnd.nextInt(next.size()));
            out.add(seq++ + " " + cpu(st.action().name().startsWith("IOPM") ? st.param() : 0) + " " + (1000 + seq * 10)
                    + " " + st.action().event() + irqFields(irq, st, s));
            s = st.next();
        }
        out.add(seq + " 0 " + (1000 + seq * 10) + " run.end status=0 requests=" + s.answered() + " irqs=" + s.nHandled());
        return out;
    }

    private static boolean allDetected(IrqConfig c, IrqState s) {
        for (int i = 1; i <= c.nIopm(); i++) if (!s.up(i) && !s.failed(i) && s.live().size() > 1) return false;
        return true;
    }

    private static String irqFields(Irq irq, Irq.Step st, IrqState s) {
        IrqState t = st.next();
        int p = st.param();
        return switch (st.action()) {
            case DEVICE_RAISE -> " dev=" + (p - 1);
            case CLOCK_TICK -> {
                int missed = 0;
                for (int i = 1; i <= s.failed().size(); i++) if (!s.failed(i) && !s.beat(i)) missed |= 1 << (i - 1);
                yield " missed=" + missed;
            }
            case VMM_ACCEPT -> " dev=" + (t.vmmIsr().dev() - 1) + " n=" + t.vmmIsr().k();
            case VMM_HANDLE -> " dev=" + (s.vmmIsr().dev() - 1) + " n=" + s.vmmIsr().k();
            case VMM_ROUTE -> " dev=" + (s.vmmIsr().dev() - 1) + " n=" + s.vmmIsr().k() + " iopm=" + (s.route(s.vmmIsr().dev()) - 1);
            case VMM_DETECT_FAILURE -> {
                List<Integer> others = new ArrayList<>(s.live());
                others.remove(Integer.valueOf(p));
                yield " iopm=" + (p - 1) + " redelivered=" + s.pend(p).size() + " requeued=" + s.ringReq(p)
                        + " to=" + (irq.requeueTo(t.route(), others) - 1);
            }
            case IOPM_TAKE -> " iopm=" + (p - 1) + " dev=" + (t.iopmIsr(p).dev() - 1) + " n=" + t.iopmIsr(p).k();
            case IOPM_HANDLE -> " iopm=" + (p - 1) + " dev=" + (s.iopmIsr(p).dev() - 1) + " n=" + s.iopmIsr(p).k();
            default -> " iopm=" + (p - 1);
        };
    }

    private static List<String> header(int iopms, String scenario, long seed) {
        List<String> out = new ArrayList<>();
        out.add("# coop-trace v=1 build=model cpus=" + (iopms + 1) + " iopms=" + iopms
                + " ring_slots=16 slot_size=64 scenario=" + scenario + " seed=" + seed);
        out.add(String.format("# zone vmm 0x%08x 0x%08x", VMM_LO, VMM_HI));
        out.add(String.format("# zone shared 0x%08x 0x%08x", SHARED_LO, SHARED_HI));
        for (int k = 0; k < iopms; k++)
            out.add(String.format("# zone iopm%d 0x%08x 0x%08x", k, ZONE_BASE + k * ZONE_SIZE, ZONE_BASE + (k + 1) * ZONE_SIZE));
        return out;
    }

    /** The AP's LAPIC id: the BSP is 0, IOPM k runs on AP k + 1 (spec AP a on LAPIC a). */
    private static int cpu(int specIndex) {
        return specIndex;
    }

    private static int mask(Set<Integer> aps) {
        int m = 0;
        for (int a : aps) m |= 1 << (a - 1);
        return m;
    }
}
