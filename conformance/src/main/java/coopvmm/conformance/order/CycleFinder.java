package coopvmm.conformance.order;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A short cycle out of a stuck merge. Each CPU's next access waits on an
 * access of some CPU not yet executed: the write it read (rf), or a read of the value its write
 * replaces (fr; the earliest such read of each CPU). That access lies at or after the other
 * CPU's next access, so "CPU d's next access --po--> that access --rf/fr--> CPU c's next access" is a
 * path; every CPU not done has such an edge in, so the graph of CPUs has a cycle. A BFS over
 * that graph (a handful of nodes) gives the shortest one, which becomes the printed cycle. Only
 * run after a failure: the scans for pending reads are linear.
 */
public final class CycleFinder {

    /** An edge into a blocked CPU's next item: from an access of CPU {@code from} to access {@code toAcc} of CPU {@code to}. */
    private record Blocker(int from, int fromEvent, int fromAcc, boolean virtual, int to, int toEvent, int toAcc, Cycle.Edge kind) {}

    private CycleFinder() {}

    /** The cycle of a stuck access-level merge. */
    public static Cycle accesses(V2Trace t, ReadsFrom rf, OrderBuilder.Result stuck) {
        int[] head = stuck.heads();
        List<Blocker> edges = new ArrayList<>();
        for (int c = 0; c < t.cpuCount(); c++) {
            CpuLog l = t.log(c);
            int h = head[c];
            if (h >= l.na) continue;
            int r = rf.run[c][h];
            int e = l.eventOf(h);
            if (l.kind[h] == Access.READ) edges.add(rfEdge(t, rf, r, c, e, h));
            else if (l.kind[h] == Access.WRITE && r >= 0) addFrEdges(t, rf, head, rf.runPrev[r], c, e, h, edges);
        }
        return assemble(t, rf, edges);
    }

    private static Blocker rfEdge(V2Trace t, ReadsFrom rf, int r, int c, int e, int a) {
        int s = rf.srcCpu[r];
        if (rf.virtual[r]) return new Blocker(s, t.log(s).n, t.log(s).na, true, c, e, a, Cycle.Edge.RF);
        return new Blocker(s, rf.needEvent[r] - 1, rf.needAcc[r] - 1, false, c, e, a, Cycle.Edge.RF);
    }

    /** For each CPU, its earliest pending read of run {@code p}. */
    private static void addFrEdges(V2Trace t, ReadsFrom rf, int[] head, int p, int c, int e, int a,
                                   List<Blocker> out) {
        for (int d = 0; d < t.cpuCount(); d++) {
            CpuLog l = t.log(d);
            int from = d == c ? a + 1 : head[d];
            int[] run = rf.run[d];
            for (int b = from; b < l.na; b++) {
                if (l.kind[b] == Access.READ && run[b] == p && !rf.late(l.word[b], d)) {
                    out.add(new Blocker(d, l.eventOf(b), b, false, c, e, a, Cycle.Edge.FR));
                    break;
                }
            }
        }
    }

    private static Cycle assemble(V2Trace t, ReadsFrom rf, List<Blocker> edges) {
        int nc = t.cpuCount();
        List<List<Blocker>> out = new ArrayList<>();
        for (int c = 0; c < nc; c++) out.add(new ArrayList<>());
        for (Blocker b : edges) out.get(b.from).add(b);
        List<Blocker> best = null;
        for (int s = 0; s < nc; s++) {
            // BFS from s for the shortest way back to s
            Blocker[] via = new Blocker[nc];
            boolean[] seen = new boolean[nc];
            ArrayDeque<Integer> q = new ArrayDeque<>();
            q.add(s);
            Blocker closing = null;
            while (!q.isEmpty() && closing == null) {
                int x = q.poll();
                for (Blocker b : out.get(x)) {
                    if (b.to == s) {
                        closing = b;
                        break;
                    }
                    if (!seen[b.to]) {
                        seen[b.to] = true;
                        via[b.to] = b;
                        q.add(b.to);
                    }
                }
            }
            if (closing == null) continue;
            List<Blocker> path = new ArrayList<>();
            path.add(closing);
            for (int x = closing.from; x != s; x = via[x].from) path.add(via[x]);
            java.util.Collections.reverse(path);           // s -> ... -> s
            if (best == null || path.size() < best.size()) best = path;
        }
        if (best == null) throw new IllegalStateException("a stuck merge without a cycle: " + edges);
        // each CPU's entry is the edge into it, its exit the edge out of it; start at the first edge's target
        List<Cycle.Step> steps = new ArrayList<>();
        int k = best.size();
        for (int i = 0; i < k; i++) {
            Blocker in = best.get(i), outE = best.get((i + 1) % k);
            int c = in.to;
            Access inA = t.access(c, in.toAcc);
            if (outE.virtual || outE.fromAcc != in.toAcc) {
                Cycle.Edge join = Cycle.Edge.PO;
                steps.add(step(t, c, in.toEvent, in.toAcc, inA, false, join));
                Access outA = outE.virtual ? virtualWrite(t, outE) : t.access(c, outE.fromAcc);
                steps.add(step(t, c, outE.fromEvent, outE.fromAcc, outA, outE.virtual, outE.kind));
            } else {
                steps.add(step(t, c, in.toEvent, in.toAcc, inA, false, outE.kind));
            }
        }
        // start at the lowest CPU's entry
        int first = 0;
        for (int i = 1; i < steps.size(); i++)
            if (steps.get(i).cpu() < steps.get(first).cpu()) first = i;
        List<Cycle.Step> rotated = new ArrayList<>(steps.subList(first, steps.size()));
        rotated.addAll(steps.subList(0, first));
        if (first > 0 && rotated.get(0).cpuIndex() == rotated.get(rotated.size() - 1).cpuIndex()) {
            // the lowest CPU's exit came first: start at its entry instead
            rotated.add(0, rotated.remove(rotated.size() - 1));
        }
        return new Cycle(List.copyOf(rotated));
    }

    /** The write no log shows, as the read that saw it describes it. */
    private static Access virtualWrite(V2Trace t, Blocker b) {
        Access read = t.access(b.to, b.toAcc);
        return new Access(Access.Kind.WRITE, read.channel(), read.word(), read.value());
    }

    private static Cycle.Step step(V2Trace t, int c, int e, int a, Access what, boolean virtual, Cycle.Edge next) {
        CpuLog l = t.log(c);
        if (virtual) return new Cycle.Step(c, l.cpu, l.n, "", a, what, true, "", next);
        return new Cycle.Step(c, l.cpu, e, t.eventName(c, e), a, what, false, t.where(c, e), next);
    }
}
