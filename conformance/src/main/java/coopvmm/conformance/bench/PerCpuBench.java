package coopvmm.conformance.bench;

import coopvmm.conformance.Repo;
import coopvmm.conformance.order.OrderCheck;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.order.V2Replay;
import coopvmm.conformance.stress.HostHarness;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The checker of per-CPU (v2) traces on real logs: the host harness's two logs of a run of
 * about {@code events} events, checked {@code rounds} times in this JVM (the first round cold,
 * the later ones warm, as JMH would count them): read, reads-from, the order of accesses, the
 * linearization, the replay through the ring model; events/s of each and end to end, and
 * the peak heap.
 */
public final class PerCpuBench {

    private PerCpuBench() {}

    /** Events per request of the reference ring on the host harness (measured: 4.6 to 4.7). */
    private static final double EVENTS_PER_REQUEST = 4.6;

    public static String run(Repo repo, long events, int rounds, Path dir, PrintStream out) throws Exception {
        HostHarness h = HostHarness.build(repo, null);
        long requests = Math.max(1, Math.round(events / EVENTS_PER_REQUEST));
        HostHarness.Round r = h.run(requests, dir, 2000, false, false, false, 0, 600);
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "per-CPU logs of the host harness: %,d requests, %,d events, 2 CPUs (%s)%n",
                r.answered(), r.events(), repo.show(dir)));
        String fmt = "%6s %9s %9s %9s %9s %9s %9s %12s %12s  %s%n";
        t.append(String.format(Locale.ROOT, fmt, "round", "read ms", "rf ms", "order ms", "lin ms", "replay ms",
                "total ms", "rebuilt ev/s", "end-to-end", "verdict"));
        out.print(t);
        long afterGc = 0;
        for (int i = 1; i <= rounds; i++) {
            long t0 = System.nanoTime();
            OrderResult o = OrderCheck.check(r.logs());
            V2Replay.Verdict v = o.ok() ? V2Replay.ring(o) : null;
            long total = System.nanoTime() - t0;
            var f = o.figures();
            long rebuilt = f.readNanos() + f.rfNanos() + f.orderNanos() + f.eventOrderNanos();
            String row = String.format(Locale.ROOT, fmt, i + (i == 1 ? " cold" : ""), ms(f.readNanos()), ms(f.rfNanos()),
                    ms(f.orderNanos()), ms(f.eventOrderNanos()), v == null ? "-" : ms(v.nanos()), ms(total),
                    rate(o.events(), rebuilt), rate(o.events(), total), v == null ? o.verdict() : v.text());
            t.append(row);
            out.print(row);
            afterGc = Math.max(afterGc, heapAfterGc());
        }
        String heap = String.format(Locale.ROOT, "peak heap %.0f MB (-Xmx %d MB); after a GC at most %.0f MB%n",
                peakHeap() / 1e6, Runtime.getRuntime().maxMemory() / 1_000_000, afterGc / 1e6);
        t.append(heap);
        out.print(heap);
        return t.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
    }

    private static String rate(long n, long nanos) {
        return String.format(Locale.ROOT, "%,.0f", n * 1e9 / nanos);
    }

    /**
     * The heap as the last GC left it (what the checker holds, and the garbage the old
     * generation has not yet given back): the peak above is mostly the young generation, which
     * the collector grows to what the allocation rate asks, whatever the checker needs.
     */
    private static long heapAfterGc() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.HEAP || p.getCollectionUsage() == null) continue;
            sum += p.getCollectionUsage().getUsed();
        }
        return sum;
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
