package coopvmm.conformance.report.html;

import java.util.List;
import java.util.Map;

/**
 * A lane diagram: one lane per process (the VMM, each IOPM, the environment), time going down,
 * one row per step, each step a mark on its lane, notifications (IPIs, SIPIs, routed
 * interrupts) as arrows from the step that sent them to the step that took them. The data of
 * {@link LaneSvg} and {@link MermaidText}, so both draw the same thing.
 *
 * @param id     unique in its page (the SVG's ids are made from it)
 * @param title  what it shows, for the SVG's title
 * @param lanes  lane names, left to right
 * @param rows   the steps, in order
 * @param arrows the notifications
 * @param loopTo a lasso's first row (the behaviour repeats from there after the last), or -1
 */
public record LaneDiagram(String id, String title, List<String> lanes, List<Row> rows, List<Arrow> arrows, int loopTo) {

    /**
     * One step.
     *
     * @param label   the left column: the step number, or the event's {@code #seq}
     * @param lane    the lane of its mark; -1 for a row across every lane (the initial state)
     * @param text    the mark's label (the action or the event)
     * @param title   the tooltip (the whole trace line, the values changed)
     * @param classes CSS classes added to the mark ({@code divergent}, {@code violation}, ...)
     * @param data    {@code data-*} attributes of the mark (name without the prefix)
     */
    public record Row(String label, int lane, String text, String title, List<String> classes, Map<String, String> data) {
        public boolean has(String cls) {
            return classes.contains(cls);
        }
    }

    /**
     * A notification.
     *
     * @param from   the row that sent it
     * @param to     the row that took it, or -1: not taken in the diagram (pending, or lost)
     * @param toLane the lane it goes to
     * @param label  what it is ({@code ipiIopm}, {@code SIPI}, ...)
     * @param classes CSS classes added to it ({@code cycle}: an edge of a po/rf/fr cycle, drawn in the focus colour)
     */
    public record Arrow(int from, int to, int toLane, String label, List<String> classes) {
        /** A notification, with no class of its own. */
        public Arrow(int from, int to, int toLane, String label) {
            this(from, to, toLane, label, List.of());
        }

        public boolean pending() {
            return to < 0;
        }

        public boolean has(String cls) {
            return classes.contains(cls);
        }
    }
}
