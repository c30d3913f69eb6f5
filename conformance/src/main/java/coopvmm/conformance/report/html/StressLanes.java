package coopvmm.conformance.report.html;

import coopvmm.conformance.order.Access;
import coopvmm.conformance.order.CpuLog;
import coopvmm.conformance.order.Cycle;
import coopvmm.conformance.order.CycleClassifier;
import coopvmm.conformance.order.Interleaving;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.order.V2Event;
import coopvmm.conformance.order.V2Replay;
import coopvmm.conformance.order.V2Trace;
import coopvmm.conformance.report.html.LaneDiagram.Arrow;
import coopvmm.conformance.report.html.LaneDiagram.Row;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-CPU (v2) logs of a failing stress round as a {@link LaneDiagram}, a lane per CPU
 * (the VMM's, cpu 0, and each IOPM's). Two pictures:
 * <ul>
 *   <li>a cycle: the records around it on each CPU; a record that holds an access of the
 *   cycle is split into a row per access (so its barriers, or their absence, show), each
 *   access of the cycle marked ({@code class="cycle"}, {@code data-cpu}, {@code data-seq},
 *   {@code data-step}), and each edge of the cycle an arrow labelled po, rf or fr. The logs
 *   have no global order (that is the point), so the rows interleave the CPUs only as far as
 *   reads-from asks: a read is drawn below the write it saw; fr edges may point up;</li>
 *   <li>a divergence: the records before the divergent one in the order the checker rebuilt,
 *   and it, marked {@code divergent}, with the IPIs of the window as arrows.</li>
 * </ul>
 */
public final class StressLanes {

    /** Records before the divergent one (as the conformance page). */
    public static final int WINDOW = 30;
    /** Records drawn each side of a record of the cycle. */
    public static final int AROUND = 4;

    /** {@code replay: <event> (<file>:<line>, cpu <c> seq <s>), record <n> of the order: <expected>} (V2Replay's text). */
    private static final Pattern DIVERGENCE = Pattern.compile(
            "^replay: (\\S+) \\((.*):(\\d+), cpu (\\d+) seq (\\d+)\\), record [\\d,]+ of the order: (.*)$", Pattern.DOTALL);

    private StressLanes() {
    }

    /**
     * What the reports show of a failing round: its kind, its diagram, the texts beside it.
     * Never throws for a trace it cannot draw: the note says why.
     *
     * @param text the round's failure, as the command prints it
     */
    public static StressEntry.Failure failure(int round, Path dir, OrderResult order, V2Replay.Verdict replay, String text) {
        String id = "round-" + round;
        if (order != null && order.outcome() == OrderResult.Outcome.CYCLE && order.cycle() != null) {
            CycleClassifier.Classification c = order.classification();
            String cls = null, reading = null;
            List<String> missing = new ArrayList<>();
            if (c != null) {
                int colon = c.text().indexOf(": ");
                cls = colon < 0 ? c.text() : c.text().substring(0, colon);
                reading = colon < 0 ? null : c.text().substring(colon + 2);
                for (CycleClassifier.MissingBarrier m : c.missingBarriers())
                    missing.add("a full barrier is missing between " + m);
            }
            List<String> steps = new ArrayList<>();
            for (Cycle.Step s : order.cycle().steps())
                steps.add(s.label() + (s.beyondCut() ? "" : " (" + shortWhere(s.where()) + ")") + " --" + s.next() + "-->");
            LaneDiagram d = cycle(id + "-cycle", "round " + round + ": the " + (cls == null ? "cycle" : cls)
                    + " across the CPUs' logs (" + order.cycle().steps().size() + " accesses)", order);
            return new StressEntry.Failure(round, StressEntry.Kind.CYCLE, text, dir, d, cls, reading, List.copyOf(missing),
                    List.copyOf(steps), null, null, null);
        }
        if (order != null && order.ok() && replay != null && !replay.ok()) {
            Matcher m = DIVERGENCE.matcher(replay.text());
            if (!m.matches())
                return other(round, text, dir, "the replay named no record to mark (" + replay.text().lines().findFirst().orElse("")
                        + ")");
            int cpu = Integer.parseInt(m.group(4)), seq = Integer.parseInt(m.group(5));
            String expected = m.group(6);
            String focus = "cpu " + cpu + " seq " + seq + " " + m.group(1) + " at " + Path.of(m.group(2)).getFileName() + ":" + m.group(3);
            int ci = order.trace().indexOf(cpu);
            if (ci >= 0 && seq < order.trace().log(ci).events()) focus += ": " + order.trace().event(ci, seq).toLine();
            LaneDiagram d = divergence(id + "-replay", "round " + round + ": the records before cpu " + cpu + " seq " + seq
                    + " in the rebuilt order, and it", order, cpu, seq, expected);
            return new StressEntry.Failure(round, StressEntry.Kind.DIVERGENCE, text, dir, d, null, null, List.of(), List.of(),
                    focus, expected, d == null ? "the divergent record is not in the rebuilt order: nothing to draw" : null);
        }
        String why = order == null ? "the round has no logs to draw"
                : order.outcome() == OrderResult.Outcome.ERROR ? "the logs break a rule of the format: no order to draw"
                : "no record to mark (the order and the replay's steps hold; see the verdict)";
        return other(round, text, dir, why);
    }

    /** A failure with nothing to draw. */
    public static StressEntry.Failure other(int round, String text, Path dir, String note) {
        return new StressEntry.Failure(round, StressEntry.Kind.OTHER, text, dir, null, null, null, List.of(), List.of(), null, null, note);
    }

    /** The lane names: cpu 0 is the VMM (the host harness's thread 0, the BSP of a guest), the others IOPMs. */
    static List<String> lanes(V2Trace t) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < t.cpuCount(); c++) {
            int id = t.log(c).cpu();
            out.add((id == 0 ? "VMM" : "IOPM") + " cpu " + id);
        }
        return out;
    }

    /** One row to be: a record, one access of a record, or a jump over records not drawn. */
    private record Item(int cpuIndex, int record, int access, int skipped, int step) {
        boolean gap() {
            return skipped > 0;
        }
    }

    /** The cycle of {@code r} across the lanes (see the class comment). */
    public static LaneDiagram cycle(String id, String title, OrderResult r) {
        V2Trace t = r.trace();
        List<Cycle.Step> steps = r.cycle().steps();
        int n = t.cpuCount();
        // The records of the cycle per CPU, and which step each access is.
        List<TreeSet<Integer>> focus = new ArrayList<>();
        List<Map<Integer, Integer>> stepOf = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            focus.add(new TreeSet<>());
            stepOf.add(new HashMap<>());
        }
        for (int k = 0; k < steps.size(); k++) {
            Cycle.Step s = steps.get(k);
            stepOf.get(s.cpuIndex()).put(s.access(), k);
            if (!s.beyondCut() && s.seq() < t.log(s.cpuIndex()).events()) focus.get(s.cpuIndex()).add(s.seq());
        }
        List<List<Item>> items = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            CpuLog l = t.log(c);
            List<Item> out = new ArrayList<>();
            // The records drawn: AROUND each side of each record of the cycle, overlapping ranges merged.
            TreeMap<Integer, Integer> ranges = new TreeMap<>();
            for (int f : focus.get(c)) {
                int lo = Math.max(0, f - AROUND), hi = Math.min(l.events() - 1, f + AROUND);
                var prev = ranges.floorEntry(lo);
                if (prev != null && prev.getValue() >= lo - 1) ranges.put(prev.getKey(), Math.max(prev.getValue(), hi));
                else ranges.put(lo, hi);
            }
            int last = -1;
            for (var e : ranges.entrySet()) {
                if (last >= 0 && e.getKey() > last + 1) out.add(new Item(c, e.getKey(), -1, e.getKey() - last - 1, -1));
                for (int rec = e.getKey(); rec <= e.getValue(); rec++) {
                    if (focus.get(c).contains(rec)) {
                        for (int a = l.accessStart(rec); a < l.accessEnd(rec); a++)
                            out.add(new Item(c, rec, a, 0, stepOf.get(c).getOrDefault(a, -1)));
                    } else {
                        out.add(new Item(c, rec, -1, 0, -1));
                    }
                }
                last = e.getValue();
            }
            // A write beyond the end of a cut log: no record holds it; drawn after the log's last.
            for (int k = 0; k < steps.size(); k++) {
                Cycle.Step s = steps.get(k);
                if (s.cpuIndex() == c && (s.beyondCut() || s.seq() >= l.events())) out.add(new Item(c, -1, s.access(), 0, k));
            }
            items.add(out);
        }

        List<Item> order = merge(t, items);
        List<String> lanes = lanes(t);
        List<Row> rows = new ArrayList<>();
        int[] rowOfStep = new int[steps.size()];
        java.util.Arrays.fill(rowOfStep, -1);
        for (int i = 0; i < order.size(); i++) {
            Item it = order.get(i);
            CpuLog l = t.log(it.cpuIndex());
            if (it.gap()) {
                rows.add(new Row("\u2026", -1, lanes.get(it.cpuIndex()) + ": " + Html.count(it.skipped()) + " records not drawn",
                        lanes.get(it.cpuIndex()) + ": records " + (it.record() - it.skipped()) + " to " + (it.record() - 1)
                                + " lie between these", List.of("gap"), Map.of("row", Integer.toString(i))));
                continue;
            }
            Map<String, String> data = new LinkedHashMap<>();
            data.put("row", Integer.toString(i));
            data.put("cpu", Integer.toString(l.cpu()));
            List<String> cls = new ArrayList<>();
            String label, text, tip;
            if (it.record() < 0) {
                Cycle.Step s = steps.get(it.step());
                data.put("seq", Integer.toString(s.seq()));
                data.put("access", s.what().toString());
                label = "#" + s.seq();
                text = "(beyond its log) " + s.what();
                tip = s.label();
            } else {
                V2Event e = t.event(it.cpuIndex(), it.record());
                data.put("seq", Integer.toString(e.seq()));
                data.put("line", Integer.toString(e.line()));
                data.put("event", e.name());
                label = "#" + e.seq();
                tip = e.toString();
                if (it.access() < 0) {
                    text = shortName(e.name()) + accesses(e);
                } else {
                    Access a = t.access(it.cpuIndex(), it.access());
                    data.put("access", a.toString());
                    text = shortName(e.name()) + " " + a;
                }
            }
            if (it.step() >= 0) {
                Cycle.Step s = steps.get(it.step());
                Cycle.Step to = steps.get((it.step() + 1) % steps.size());
                cls.add("cycle");
                data.put("step", Integer.toString(it.step()));
                data.put("edge", s.next().toString());
                tip += "\ncycle step " + (it.step() + 1) + " of " + steps.size() + ": " + s.what() + " --" + s.next() + "--> "
                        + to.shortLabel();
                rowOfStep[it.step()] = i;
            }
            rows.add(new Row(label, it.cpuIndex(), text, tip, cls, data));
        }
        List<Arrow> arrows = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            int next = (k + 1) % steps.size();
            if (rowOfStep[k] < 0 || rowOfStep[next] < 0) continue;
            String edge = steps.get(k).next().toString();
            arrows.add(new Arrow(rowOfStep[k], rowOfStep[next], steps.get(next).cpuIndex(), edge, List.of("cycle", "edge-" + edge)));
        }
        return new LaneDiagram(id, title, lanes, rows, arrows, -1);
    }

    /**
     * The CPUs' rows interleaved: round robin, one row at a time, but a row that reads a value
     * written by a row of another CPU still to come waits for it (reads-from within the drawn
     * rows; a value no drawn row wrote sets no constraint). When every CPU waits (a cycle of
     * reads-from and program order: not x86), the round robin goes on regardless.
     */
    private static List<Item> merge(V2Trace t, List<List<Item>> items) {
        int n = items.size();
        // Which drawn row wrote each (word, value) first.
        Map<String, int[]> writer = new HashMap<>();
        for (int c = 0; c < n; c++)
            for (int k = 0; k < items.get(c).size(); k++)
                for (Access a : accessesOf(t, items.get(c).get(k)))
                    if (a.kind() == Access.Kind.WRITE) writer.putIfAbsent(key(a), new int[]{c, k});
        int[] next = new int[n];
        List<Item> out = new ArrayList<>();
        int total = items.stream().mapToInt(List::size).sum(), turn = 0;
        while (out.size() < total) {
            int pick = -1;
            for (int j = 0; j < n && pick < 0; j++) {
                int c = (turn + j) % n;
                if (next[c] < items.get(c).size() && ready(t, items.get(c).get(next[c]), c, writer, next)) pick = c;
            }
            if (pick < 0) for (int j = 0; j < n && pick < 0; j++) if (next[(turn + j) % n] < items.get((turn + j) % n).size()) pick = (turn + j) % n;
            out.add(items.get(pick).get(next[pick]++));
            turn = (pick + 1) % n;
        }
        return out;
    }

    private static boolean ready(V2Trace t, Item it, int c, Map<String, int[]> writer, int[] next) {
        for (Access a : accessesOf(t, it)) {
            if (a.kind() != Access.Kind.READ) continue;
            int[] w = writer.get(key(a));
            if (w != null && w[0] != c && w[1] >= next[w[0]]) return false;
        }
        return true;
    }

    private static List<Access> accessesOf(V2Trace t, Item it) {
        if (it.gap()) return List.of();
        if (it.access() >= 0) return List.of(t.access(it.cpuIndex(), it.access()));
        CpuLog l = t.log(it.cpuIndex());
        List<Access> out = new ArrayList<>();
        for (int a = l.accessStart(it.record()); a < l.accessEnd(it.record()); a++) out.add(t.access(it.cpuIndex(), a));
        return out;
    }

    private static String key(Access a) {
        return a.channel() + "/" + a.word() + "=" + Long.toUnsignedString(a.value());
    }

    /**
     * The {@code WINDOW} records before cpu {@code cpu} seq {@code seq} in the order the checker
     * rebuilt, and it (marked {@code divergent}); null if the order does not hold it.
     */
    public static LaneDiagram divergence(String id, String title, OrderResult r, int cpu, int seq, String expected) {
        V2Trace t = r.trace();
        Interleaving order = r.eventOrder();
        int target = t.indexOf(cpu);
        if (order == null || target < 0) return null;
        // Walk the runs up to the record, keeping the last WINDOW + 1: the order may be millions long.
        ArrayDeque<int[]> window = new ArrayDeque<>();
        int[] next = new int[t.cpuCount()];
        long pos = 0, at = -1;
        outer:
        for (int run = 0; run < order.runs(); run++) {
            int c = order.runCpuIndex(run);
            for (int k = 0; k < order.runLength(run); k++, pos++) {
                int i = next[c]++;
                window.addLast(new int[]{c, i});
                if (window.size() > WINDOW + 1) window.removeFirst();
                if (c == target && i == seq) {
                    at = pos;
                    break outer;
                }
            }
        }
        if (at < 0) return null;
        List<String> lanes = lanes(t);
        List<Row> rows = new ArrayList<>();
        List<V2Event> events = new ArrayList<>();
        long first = at - window.size() + 1;
        int i = 0;
        for (int[] ci : window) {
            V2Event e = t.event(ci[0], ci[1]);
            events.add(e);
            boolean last = i == window.size() - 1;
            Map<String, String> data = new LinkedHashMap<>();
            data.put("row", Integer.toString(i));
            data.put("cpu", Integer.toString(e.cpu()));
            data.put("seq", Integer.toString(e.seq()));
            data.put("line", Integer.toString(e.line()));
            data.put("event", e.name());
            data.put("order", Long.toString(first + i));
            String tip = e + "\nrecord " + (first + i + 1) + " of the rebuilt order" + (last ? "\nthe model expected: " + expected : "");
            rows.add(new Row("#" + e.seq(), ci[0], shortName(e.name()) + fields(e), tip, last ? List.of("divergent") : List.of(), data));
            i++;
        }
        return new LaneDiagram(id, title, lanes, rows, ipis(events, t), -1);
    }

    /** An IPI: a record that stores an {@code ipi_to_*} count, to the record of another CPU that loads that value. */
    private static List<Arrow> ipis(List<V2Event> ev, V2Trace t) {
        List<Arrow> out = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++)
            for (Access w : ev.get(i).accesses()) {
                if (w.kind() != Access.Kind.WRITE || !w.word().startsWith("ipi_to_")) continue;
                int to = -1;
                for (int j = i + 1; j < ev.size() && to < 0; j++)
                    for (Access r : ev.get(j).accesses())
                        if (ev.get(j).cpu() != ev.get(i).cpu() && r.kind() == Access.Kind.READ && key(r).equals(key(w))) to = j;
                int lane = -1;
                for (int c = 0; c < t.cpuCount(); c++)
                    if (to >= 0 ? t.log(c).cpu() == ev.get(to).cpu() : t.log(c).cpu() != ev.get(i).cpu()) {
                        lane = c;
                        break;
                    }
                if (lane >= 0) out.add(new Arrow(i, to, lane, "IPI"));
            }
        return out;
    }

    /** {@code cpu0.log:7880} for {@code /work/.../round-1/cpu0.log:7880}: the page links the logs. */
    static String shortWhere(String where) {
        int colon = where.lastIndexOf(':');
        if (colon <= 0) return where;
        try {
            return Path.of(where.substring(0, colon)).getFileName() + where.substring(colon);
        } catch (RuntimeException e) {
            return where;
        }
    }

    /** {@code consume} for {@code iopm.consume}: the lane says whose step it is. */
    static String shortName(String event) {
        int dot = event.indexOf('.');
        return (event.startsWith("vmm.") || event.startsWith("iopm.")) && dot >= 0 ? event.substring(dot + 1) : event;
    }

    /** The fields but a channel 0 (the lane says it; a second channel is worth saying). */
    private static String fields(V2Event e) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < e.fieldNames().length; k++) {
            if (e.fieldNames()[k].equals("iopm") && e.fieldValues()[k] == 0) continue;
            b.append(' ').append(e.fieldNames()[k]).append('=').append(Long.toUnsignedString(e.fieldValues()[k]));
        }
        return b.toString();
    }

    private static String accesses(V2Event e) {
        StringBuilder b = new StringBuilder();
        for (Access a : e.accesses()) b.append(' ').append(a);
        return b.toString();
    }
}
