package coopvmm.conformance.cli;

import coopvmm.conformance.trace.TraceCheck;
import coopvmm.model.boot.BootAction;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.ring.RingAction;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** How often the runs of one {@code ./coop conform} took each action of each spec. */
final class Coverage {

    private final Map<RingAction, Integer> ring = new EnumMap<>(RingAction.class);
    private final Map<BootAction, Integer> boot = new EnumMap<>(BootAction.class);
    private final Map<IrqAction, Integer> irq = new EnumMap<>(IrqAction.class);
    private final Map<coopvmm.model.guestio.GuestIoAction, Integer> guestIo =
            new EnumMap<>(coopvmm.model.guestio.GuestIoAction.class);
    private final Map<coopvmm.model.mgmtring.MgmtRingAction, Integer> mgmt =
            new EnumMap<>(coopvmm.model.mgmtring.MgmtRingAction.class);
    private boolean sawBoot, sawIrq, sawGuestIo, sawMgmt;

    void add(TraceCheck.Report r) {
        r.replay().coverage().forEach((a, n) -> ring.merge(a, n, Integer::sum));
        if (r.boot() != null) {
            sawBoot = true;
            r.boot().coverage().forEach((a, n) -> boot.merge(a, n, Integer::sum));
        }
        if (r.irq() != null) {
            sawIrq = true;
            r.irq().coverage().forEach((a, n) -> irq.merge(a, n, Integer::sum));
        }
        if (r.guestIo() != null) {
            sawGuestIo = true;
            r.guestIo().coverage().forEach((a, n) -> guestIo.merge(a, n, Integer::sum));
        }
        if (r.mgmt() != null) {
            sawMgmt = true;
            r.mgmt().coverage().forEach((a, n) -> mgmt.merge(a, n, Integer::sum));
        }
    }

    /**
     * A run whose ring, boot, routing, guest I/O and management ring events were replayed in a
     * rebuilt order (a v2 trace: {@link ConformLockFree}); any but the ring null: none.
     */
    void addOrdered(Map<RingAction, Integer> ringCounts, Map<BootAction, Integer> bootCounts,
                    Map<IrqAction, Integer> irqCounts, Map<coopvmm.model.guestio.GuestIoAction, Integer> guestIoCounts,
                    Map<coopvmm.model.mgmtring.MgmtRingAction, Integer> mgmtCounts) {
        ringCounts.forEach((a, n) -> ring.merge(a, n, Integer::sum));
        if (mgmtCounts != null) {
            sawMgmt = true;
            mgmtCounts.forEach((a, n) -> mgmt.merge(a, n, Integer::sum));
        }
        if (irqCounts != null) {
            sawIrq = true;
            irqCounts.forEach((a, n) -> irq.merge(a, n, Integer::sum));
        }
        if (guestIoCounts != null) {
            sawGuestIo = true;
            guestIoCounts.forEach((a, n) -> guestIo.merge(a, n, Integer::sum));
        }
        if (bootCounts == null) return;
        sawBoot = true;
        bootCounts.forEach((a, n) -> boot.merge(a, n, Integer::sum));
    }

    void print(PrintStream out) {
        List<String> gaps = new ArrayList<>();
        line(out, "CoopRing", RingAction.values(), ring, a -> a == RingAction.FINISHED ? null : a.tla(), gaps);
        if (sawBoot) line(out, "BootHandoff", BootAction.values(), boot, a -> a == BootAction.FINISHED ? null : a.tla(), gaps);
        if (sawIrq) line(out, "IrqRouting", IrqAction.values(), irq, IrqAction::tla, gaps);
        if (sawGuestIo) line(out, "GuestIo", coopvmm.model.guestio.GuestIoAction.values(), guestIo,
                a -> a == coopvmm.model.guestio.GuestIoAction.FINISHED ? null : a.tla(), gaps);
        if (sawMgmt) line(out, "MgmtRing", coopvmm.model.mgmtring.MgmtRingAction.values(), mgmt,
                a -> a == coopvmm.model.mgmtring.MgmtRingAction.FINISHED ? null : a.tla(), gaps);
        if (!gaps.isEmpty()) out.println("not reached by these runs: " + String.join(", ", gaps));
    }

    private static <A> void line(PrintStream out, String spec, A[] actions, Map<A, Integer> counts,
                                 java.util.function.Function<A, String> name, List<String> gaps) {
        StringBuilder b = new StringBuilder(spec + " actions covered:");
        for (A a : actions) {
            String n = name.apply(a);
            if (n == null) continue;
            int k = counts.getOrDefault(a, 0);
            b.append(' ').append(n).append('=').append(k);
            if (k == 0) gaps.add(n);
        }
        out.println(b);
    }
}
