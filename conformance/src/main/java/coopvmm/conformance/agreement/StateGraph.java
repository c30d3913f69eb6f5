package coopvmm.conformance.agreement;

import coopvmm.conformance.tla.TlaValues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reachable state graph TLC writes with {@code -dump dot,actionlabels FILE}: each node a
 * state (its variables), each edge labelled with the action that takes it.
 */
public record StateGraph(Map<String, Map<String, Object>> states, List<Edge> edges,
                         List<String> initial) {

    /** One transition of the graph. */
    public record Edge(String from, String action, String to) {
    }

    private static final Pattern NODE = Pattern.compile("^(-?\\d+) \\[label=\"(.*)\"(,style = filled)?\\]");
    private static final Pattern EDGE = Pattern.compile("^(-?\\d+) -> (-?\\d+) \\[label=\"(\\w+)\"");

    public static StateGraph readDot(Path dot) throws IOException {
        Map<String, Map<String, Object>> states = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        List<String> initial = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(dot)) {
            lineNo++;
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                edges.add(new Edge(m.group(1), m.group(3), m.group(2)));
                continue;
            }
            m = NODE.matcher(line);
            if (m.find()) {
                String label = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
                try {
                    states.put(m.group(1), TlaValues.parseState(label));
                } catch (IllegalArgumentException e) {
                    throw new IOException(dot + ":" + lineNo + ": " + e.getMessage(), e);
                }
                if (m.group(3) != null) initial.add(m.group(1));
            }
        }
        return new StateGraph(states, edges, initial);
    }
}
