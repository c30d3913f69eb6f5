package coopvmm.conformance.report.html;

import coopvmm.conformance.report.RunFacts;
import coopvmm.conformance.report.html.LaneDiagram.Arrow;
import coopvmm.conformance.report.html.LaneDiagram.Row;
import coopvmm.conformance.trace.TraceEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The events of a conformance trace around a failure as a {@link LaneDiagram}: the VMM's
 * lane, one per IOPM (the event's {@code iopm=}, as the trace numbers them), the devices'.
 * Arrows: an IPI sent ({@code notify=1}) to the peer's next wake on that channel, a SIPI to
 * the AP's first step, an IOPM's ready IPI to the VMM seeing it, a routed interrupt to the
 * IOPM taking it, a raised interrupt to the VMM accepting it.
 */
public final class TraceLanes {

    public static final String VMM = "VMM", DEVICES = "devices";

    private TraceLanes() {
    }

    public static LaneDiagram of(String id, String title, RunFacts.Focus f) {
        List<TraceEvent> ev = f.events();
        TreeSet<Long> iopms = new TreeSet<>();
        boolean devices = false, others = false;
        for (TraceEvent e : ev) {
            String side = side(e);
            if (side.equals("iopm")) iopms.add(e.has("iopm") ? e.get("iopm") : -1);
            else if (side.equals("dev")) devices = true;
            else if (side.equals("cpu")) others = true;
        }
        List<String> lanes = new ArrayList<>();
        lanes.add(VMM);
        for (long k : iopms) lanes.add(k < 0 ? "IOPM ?" : "IOPM " + k);
        if (devices) lanes.add(DEVICES);
        Map<Integer, Integer> cpuLane = new LinkedHashMap<>();
        if (others) for (TraceEvent e : ev) if (side(e).equals("cpu") && !cpuLane.containsKey(e.cpu())) {
            cpuLane.put(e.cpu(), lanes.size());
            lanes.add("CPU " + e.cpu());
        }

        int[] lane = new int[ev.size()];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            TraceEvent e = ev.get(i);
            lane[i] = switch (side(e)) {
                case "vmm" -> 0;
                case "iopm" -> lanes.indexOf(e.has("iopm") ? "IOPM " + e.get("iopm") : "IOPM ?");
                case "dev" -> lanes.indexOf(DEVICES);
                default -> cpuLane.get(e.cpu());
            };
            boolean last = i == ev.size() - 1;
            List<String> cls = new ArrayList<>();
            if (last) cls.add(f.kind().equals("stall") ? "stall" : "divergent");
            Map<String, String> data = new LinkedHashMap<>();
            data.put("event", Long.toString(e.seq()));
            data.put("line", Integer.toString(e.line()));
            data.put("name", e.name());
            String title1 = "#" + e.seq() + " (trace.log:" + e.line() + ", cpu " + e.cpu() + ", tsc " + e.tsc() + "): "
                    + e.name() + fields(e, true);
            if (last) title1 += "\n" + f.checker() + ": " + f.expected();
            rows.add(new Row("#" + e.seq(), lane[i], e.name() + fields(e, false), title1, cls, data));
        }
        return new LaneDiagram(id, title, lanes, rows, arrows(ev, lane, lanes), -1);
    }

    /** vmm, iopm, dev, or cpu (an event of no known side: on its CPU's lane). */
    static String side(TraceEvent e) {
        String n = e.name();
        if (n.startsWith("vmm.") || n.startsWith("boot.vmm_")) return "vmm";
        if (e.has("vmm_ap")) return "cpu";          // a VMM AP's own boot steps: its CPU's lane, no IOPM's
        if (n.startsWith("iopm.") || n.startsWith("boot.ap_") || n.startsWith("boot.iopm_")) return "iopm";
        if (n.equals("irq.device_raise")) return "dev";
        if (n.startsWith("irq.") || n.startsWith("run.")) return e.cpu() == 0 || !e.has("iopm") ? "vmm" : "iopm";
        return e.cpu() == 0 ? "vmm" : "cpu";
    }

    /** The fields but the channel (the lane says it); all of them in a tooltip. */
    private static String fields(TraceEvent e, boolean all) {
        StringBuilder b = new StringBuilder();
        e.fields().forEach((k, v) -> {
            if (all || !k.equals("iopm")) b.append(' ').append(k).append('=').append(v);
        });
        return b.toString();
    }

    private static List<Arrow> arrows(List<TraceEvent> ev, int[] lane, List<String> lanes) {
        List<Arrow> out = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            TraceEvent e = ev.get(i);
            String n = e.name();
            long k = e.has("iopm") ? e.get("iopm") : -1;
            int iopmLane = lanes.indexOf("IOPM " + k);
            boolean notify = e.has("notify") && e.get("notify") == 1;
            // The IPI leaves at the send step that follows a notify deciding on one (the spec's
            // *SendIpi); a trace without send steps sends it at the notify.
            boolean sends = notify && !sentAfter(ev, i, n.startsWith("vmm.") ? "vmm.send_ipi" : "iopm.send_ipi", k);
            if ((n.equals("vmm.notify_iopm") && sends || n.equals("vmm.send_ipi")) && iopmLane >= 0)
                out.add(new Arrow(i, next(ev, i, x -> x.name().equals("iopm.wake") && sameChannel(x, k)), iopmLane, "IPI"));
            else if (n.equals("iopm.notify_vmm") && sends || n.equals("iopm.send_ipi"))
                out.add(new Arrow(i, next(ev, i, x -> x.name().equals("vmm.wake") && sameChannel(x, k)), 0, "IPI"));
            else if (n.equals("boot.vmm_send_sipi") && iopmLane >= 0)
                out.add(new Arrow(i, next(ev, i, x -> x.name().startsWith("boot.ap_") && sameChannel(x, k)), iopmLane, "SIPI"));
            else if (n.equals("boot.iopm_signal_ready"))
                out.add(new Arrow(i, next(ev, i, x -> x.name().equals("boot.vmm_see_ready") && sameChannel(x, k)), 0, "ready IPI"));
            else if (n.equals("vmm.route") && iopmLane >= 0 && e.has("dev") && e.has("n"))
                out.add(new Arrow(i, next(ev, i, x -> x.name().equals("iopm.take") && sameChannel(x, k)
                        && x.has("dev") && x.get("dev") == e.get("dev") && x.has("n") && x.get("n") == e.get("n")),
                        iopmLane, "irq " + e.get("dev") + "/" + e.get("n")));
            else if (n.equals("irq.device_raise") && e.has("dev"))
                out.add(new Arrow(i, next(ev, i, x -> x.name().equals("vmm.accept") && x.has("dev") && x.get("dev") == e.get("dev")),
                        0, "irq " + e.get("dev")));
        }
        out.removeIf(a -> lane[a.from()] == a.toLane() || lane[a.from()] < 0);
        return out;
    }

    /** The side's next step on channel {@code k} after {@code i} is {@code send}. */
    private static boolean sentAfter(List<TraceEvent> ev, int i, String send, long k) {
        String side = send.substring(0, send.indexOf('.') + 1);
        for (int j = i + 1; j < ev.size(); j++) {
            TraceEvent x = ev.get(j);
            if (x.name().startsWith(side) && sameChannel(x, k)) return x.name().equals(send);
        }
        return false;
    }

    private static boolean sameChannel(TraceEvent x, long k) {
        return x.has("iopm") && x.get("iopm") == k;
    }

    private static int next(List<TraceEvent> ev, int from, java.util.function.Predicate<TraceEvent> p) {
        for (int j = from + 1; j < ev.size(); j++) if (p.test(ev.get(j))) return j;
        return -1;
    }
}
