package coopvmm.conformance.order;

import java.util.List;

/**
 * A cycle of po, rf and fr edges among accesses: no order can have them all. Each step is an
 * access and the edge from it to the next step (the last step's edge goes back to the first).
 * A CPU on the cycle contributes its entry access and, when it leaves by another one, its exit
 * access, joined by po (program order).
 */
public record Cycle(List<Step> steps) {

    public enum Edge {
        PO("po"), RF("rf"), FR("fr");

        final String label;

        Edge(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * @param cpuIndex  the CPU's index in the trace
     * @param cpu       its LAPIC id
     * @param seq       the record holding the access (the CPU's record count for a write beyond its cut)
     * @param event     that record's event name
     * @param access    the access's index in the CPU's log
     * @param what      the access
     * @param beyondCut a write no log shows: it lies beyond the end of a log that was cut short
     * @param where     {@code file:line} of the record
     * @param next      the edge from this access to the next step's
     */
    public record Step(int cpuIndex, int cpu, int seq, String event, int access, Access what,
                       boolean beyondCut, String where, Edge next) {

        /** {@code cpu 0 seq 17 vmm.publish_requests w:req_prod=6}. */
        public String label() {
            return beyondCut ? "cpu " + cpu + " (beyond the end of its log) " + what
                    : "cpu " + cpu + " seq " + seq + " " + event + " " + what;
        }

        /** {@code w:req_prod (cpu 0 seq 17, vmm.publish_requests)}. */
        public String shortLabel() {
            return what.shortName() + (beyondCut ? " (cpu " + cpu + ", beyond the end of its log)"
                    : " (cpu " + cpu + " seq " + seq + ", " + event + ")");
        }
    }

    /** The CPUs on the cycle. */
    public long cpus() {
        return steps.stream().mapToInt(Step::cpuIndex).distinct().count();
    }

    /** One line: each step, its edge, and the first step again. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) b.append(s.label()).append(" --").append(s.next()).append("--> ");
        return b.append(steps.get(0).label()).toString();
    }

    /** One step a line, with {@code file:line}. */
    public String toLines() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps)
            b.append("  ").append(s.label()).append(s.beyondCut() ? "" : "   (" + s.where() + ")").append('\n')
                    .append("      --").append(s.next()).append("-->\n");
        return b.append("  ").append(steps.get(0).label()).append('\n').toString();
    }
}
