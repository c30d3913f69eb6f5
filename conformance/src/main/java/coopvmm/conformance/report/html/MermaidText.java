package coopvmm.conformance.report.html;

import coopvmm.conformance.report.html.LaneDiagram.Arrow;
import coopvmm.conformance.report.html.LaneDiagram.Row;

/**
 * A {@link LaneDiagram} as a Mermaid sequence diagram (https://mermaid.js.org/syntax/sequenceDiagram.html):
 * each step a note over its lane, each notification a message at the step that sent it. For
 * people who paste diagrams into Markdown; the page itself needs no Mermaid.
 */
public final class MermaidText {

    private MermaidText() {
    }

    public static String of(LaneDiagram d) {
        StringBuilder b = new StringBuilder("sequenceDiagram\n");
        b.append("    %% ").append(d.title().replaceAll("[\\r\\n]+", " ")).append('\n');
        for (int l = 0; l < d.lanes().size(); l++)
            b.append("    participant L").append(l).append(" as ").append(clean(d.lanes().get(l))).append('\n');
        String all = d.lanes().isEmpty() ? null : d.lanes().size() == 1 ? "L0" : "L0,L" + (d.lanes().size() - 1);
        for (int i = 0; i < d.rows().size(); i++) {
            if (i == d.loopTo()) b.append("    loop the behaviour repeats from here forever\n");
            Row r = d.rows().get(i);
            String over = r.lane() < 0 ? all : "L" + r.lane();
            if (over == null) continue;
            String mark = r.has("divergent") ? " DIVERGES" : r.has("violation") ? " VIOLATION" : r.has("stall") ? " STALL"
                    : r.has("cycle") ? " CYCLE" : "";
            if (!mark.isEmpty()) b.append("    rect rgb(253, 224, 224)\n");
            b.append("    Note over ").append(over).append(": ").append(clean(r.label() + " " + r.text() + mark)).append('\n');
            if (!mark.isEmpty()) b.append("    end\n");
            for (Arrow a : d.arrows()) {
                if (a.from() != i || r.lane() < 0) continue;
                // -) is Mermaid's asynchronous message: an IPI does not wait for its receiver.
                // A cycle's edge is an order between two accesses, not a message taken: say where it goes.
                String to = a.pending() ? " (not taken)" : a.has("cycle") ? " to " + d.rows().get(a.to()).label() + " "
                        + d.rows().get(a.to()).text() : " (taken at " + d.rows().get(a.to()).label() + ")";
                b.append("    L").append(r.lane()).append(" -) L").append(a.toLane()).append(": ")
                        .append(clean(a.label() + to)).append('\n');
            }
        }
        if (d.loopTo() >= 0 && d.loopTo() < d.rows().size()) b.append("    end\n");
        return b.toString();
    }

    /**
     * Text Mermaid reads as text: its own entity syntax for the characters it parses
     * ({@code ;} ends a statement, {@code #} starts an entity), one line.
     */
    static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '#' -> b.append("#35;");
                case ';' -> b.append("#59;");
                case ':' -> b.append("#58;");
                case '%' -> b.append("#37;");
                case '<' -> b.append("#lt;");
                case '>' -> b.append("#gt;");
                case '\n', '\r', '\t' -> b.append(' ');
                default -> b.append(c < 0x20 ? ' ' : c);
            }
        }
        return b.toString();
    }
}
