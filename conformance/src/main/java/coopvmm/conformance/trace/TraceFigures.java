package coopvmm.conformance.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times the guest measured, read from the TSC stamps of its trace: boot to ready per IOPM
 * (the VMM allocating its zone to the VMM seeing it ready), interrupt latency (raised to
 * handled) for interrupts handled in the VMM and for those routed to an IOPM, and failover
 * time (an IOPM stopping to the VMM declaring it failed), and for real guests (vm-io) the
 * exit-to-resume latency through an IOPM ({@code vmm.capture_exit} to the vCPU's next
 * {@code vmm.resume_guest}) and the span from the first exit to the last resume, for exits/s.
 * The TSCs of the CPUs are one clock under QEMU (TCG derives every vCPU's TSC from the host
 * clock).
 */
public record TraceFigures(Map<Integer, Long> bootToReady, long bootAll, List<Long> vmmLocal, List<Long> routed,
                           List<Long> failover, List<Long> exitToResume, long exitSpan) {

    /** Without guest figures (traces of the ring, boot and routing scenarios). */
    public TraceFigures(Map<Integer, Long> bootToReady, long bootAll, List<Long> vmmLocal, List<Long> routed,
                        List<Long> failover) {
        this(bootToReady, bootAll, vmmLocal, routed, failover, List.of(), -1);
    }

    /**
     * The field each event the figures read must carry; a VMM AP's {@code boot.vmm_see_ready}
     * ({@code vmm_ap=}) has no {@code iopm} and is no IOPM's ready.
     */
    private static final Map<String, String> NEEDS = Map.of("boot.vmm_alloc_zone", "iopm", "boot.vmm_see_ready", "iopm",
            "irq.device_raise", "dev", "iopm.stop", "iopm", "vmm.detect_failure", "iopm", "vmm.capture_exit", "vcpu",
            "vmm.resume_guest", "vcpu");

    public static TraceFigures of(Trace t) {
        Map<Integer, Long> alloc = new HashMap<>();
        Map<Integer, Long> ready = new TreeMap<>();
        long firstBoot = -1, lastReady = -1;
        Map<String, Long> raisedAt = new HashMap<>();
        Map<Long, Integer> raisedCount = new HashMap<>();
        Map<Long, Long> stoppedAt = new HashMap<>();
        List<Long> vmmLocal = new ArrayList<>(), routed = new ArrayList<>(), failover = new ArrayList<>();
        Map<Long, Long> exitedAt = new HashMap<>();
        List<Long> exitToResume = new ArrayList<>();
        long firstExit = -1, lastResume = -1;
        for (TraceEvent e : t.events()) {
            String need = NEEDS.get(e.name());
            if (need != null && !e.has(need)) continue;    // malformed: the replay names it; the figures skip it
            switch (e.name()) {
                case "boot.vmm_alloc_zone" -> {
                    alloc.put((int) e.get("iopm"), e.tsc());
                    if (firstBoot < 0) firstBoot = e.tsc();
                }
                case "boot.vmm_see_ready" -> {
                    int k = (int) e.get("iopm");
                    if (alloc.containsKey(k)) ready.put(k, e.tsc() - alloc.get(k));
                    lastReady = e.tsc();
                }
                case "irq.device_raise" -> {
                    long d = e.get("dev");
                    int n = raisedCount.merge(d, 1, Integer::sum);
                    raisedAt.put(d + "/" + n, e.tsc());
                }
                case "vmm.handle" -> latency(raisedAt, e, vmmLocal);
                case "iopm.handle" -> latency(raisedAt, e, routed);
                case "iopm.stop" -> stoppedAt.put(e.get("iopm"), e.tsc());
                case "vmm.detect_failure" -> {
                    Long s = stoppedAt.get(e.get("iopm"));
                    if (s != null) failover.add(e.tsc() - s);
                }
                case "vmm.capture_exit" -> {
                    exitedAt.put(e.get("vcpu"), e.tsc());
                    if (firstExit < 0) firstExit = e.tsc();
                }
                case "vmm.resume_guest" -> {
                    Long x = exitedAt.remove(e.get("vcpu"));
                    if (x != null && e.tsc() >= x) exitToResume.add(e.tsc() - x);
                    lastResume = e.tsc();
                }
                default -> {
                }
            }
        }
        return new TraceFigures(ready, firstBoot >= 0 && lastReady >= 0 ? lastReady - firstBoot : -1, vmmLocal, routed,
                failover, exitToResume, firstExit >= 0 && lastResume > firstExit ? lastResume - firstExit : -1);
    }

    private static void latency(Map<String, Long> raisedAt, TraceEvent e, List<Long> out) {
        if (!e.has("dev") || !e.has("n")) return;
        Long r = raisedAt.get(e.get("dev") + "/" + e.get("n"));
        if (r != null && e.tsc() >= r) out.add(e.tsc() - r);
    }

    public boolean isEmpty() {
        return bootToReady.isEmpty() && vmmLocal.isEmpty() && routed.isEmpty() && failover.isEmpty()
                && exitToResume.isEmpty();
    }

    /** One line, in microseconds (milliseconds for the failover), given the TSC rate. */
    public String describe(long tscKhz) {
        if (tscKhz <= 0) return "no TSC rate in the run's log: figures in TSC ticks are not converted";
        List<String> parts = new ArrayList<>();
        if (!bootToReady.isEmpty()) {
            StringBuilder b = new StringBuilder("boot to ready (us):");
            bootToReady.forEach((k, v) -> b.append(" iopm").append(k).append('=').append(us(v, tscKhz)));
            if (bootAll >= 0) b.append(", all ").append(us(bootAll, tscKhz));
            parts.add(b.toString());
        }
        if (!vmmLocal.isEmpty()) parts.add("VMM-local irq latency (us) " + stats(vmmLocal, tscKhz));
        if (!routed.isEmpty()) parts.add("IOPM-routed irq latency (us) " + stats(routed, tscKhz));
        for (long f : failover) parts.add(String.format("failover %.1f ms", f / (double) tscKhz));
        if (!exitToResume.isEmpty()) {
            parts.add("guest exits/s " + exitsPerSecond(tscKhz));
            parts.add("exit-to-resume latency (us) " + stats(exitToResume, tscKhz));
        }
        return String.join("; ", parts);
    }

    /** Guest exits completed per second, first exit to last resume (0 if unknown). */
    public long exitsPerSecond(long khz) {
        return exitSpan > 0 ? exitToResume.size() * 1000L * khz / exitSpan : 0;
    }

    private static long us(long tsc, long khz) {
        return tsc * 1000 / khz;
    }

    private static String stats(List<Long> v, long khz) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return "n=" + s.size() + " p50=" + us(s.get(s.size() / 2), khz) + " p99=" + us(s.get(Math.min(s.size() - 1, s.size() * 99 / 100)), khz)
                + " max=" + us(s.get(s.size() - 1), khz);
    }

    /** Tab-separated rows for reports/: one per figure. */
    public List<String> rows(String run, long khz) {
        List<String> out = new ArrayList<>();
        bootToReady.forEach((k, v) -> out.add(run + "\tboot_to_ready_us\tiopm" + k + "\t" + us(v, khz)));
        if (bootAll >= 0) out.add(run + "\tboot_all_us\t-\t" + us(bootAll, khz));
        for (long x : vmmLocal) out.add(run + "\tirq_latency_us\tvmm\t" + us(x, khz));
        for (long x : routed) out.add(run + "\tirq_latency_us\tiopm\t" + us(x, khz));
        for (long x : failover) out.add(run + "\tfailover_us\t-\t" + us(x, khz));
        if (!exitToResume.isEmpty()) out.add(run + "\tguest_exits_per_s\t-\t" + exitsPerSecond(khz));
        for (long x : exitToResume) out.add(run + "\texit_to_resume_us\t-\t" + us(x, khz));
        return out;
    }
}
