package coopvmm.conformance.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which C file calls which, by the functions each defines without {@code static}: an edge
 * a -> b when a calls a function b defines. Read from the sources (comments and attributes
 * stripped, a definition is a name and parameters at the start of a line followed by a
 * brace), which is enough for code in one style; calls through pointers are not edges. The
 * strongly connected components of more than one file are the cycles.
 */
final class CCallGraph {

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("__attribute__\\s*\\(\\([^)]*\\)\\)\\s*");
    private static final Pattern DEFINITION = Pattern.compile("^([A-Za-z_][\\w \\t*]*?)\\b(\\w+)\\s*\\([^;{)]*\\)\\s*\\{",
            Pattern.MULTILINE);
    private static final Pattern CALL = Pattern.compile("\\b(\\w+)\\s*\\(");

    /** file -> files it calls, with the functions that make each edge. */
    final Map<Path, Map<Path, TreeSet<String>>> edges = new TreeMap<>();

    private CCallGraph() {
    }

    static CCallGraph of(List<Path> files) throws IOException {
        Map<Path, String> text = new HashMap<>();
        Map<String, Path> defined = new HashMap<>();
        for (Path f : files) {
            String s = ATTRIBUTE.matcher(COMMENT.matcher(Files.readString(f)).replaceAll(" ")).replaceAll("");
            text.put(f, s);
            Matcher m = DEFINITION.matcher(s);
            while (m.find()) {
                if (m.group(1).matches(".*\\bstatic\\b.*")) continue;
                defined.putIfAbsent(m.group(2), f);
            }
        }
        CCallGraph g = new CCallGraph();
        for (Path f : files) {
            Map<Path, TreeSet<String>> out = g.edges.computeIfAbsent(f, x -> new TreeMap<>());
            Matcher m = CALL.matcher(text.get(f));
            while (m.find()) {
                Path to = defined.get(m.group(1));
                if (to != null && !to.equals(f)) out.computeIfAbsent(to, x -> new TreeSet<>()).add(m.group(1));
            }
        }
        return g;
    }

    /** The components of more than one file (Tarjan), each as "a -> b (f, g)" lines of its edges. */
    List<List<String>> cycles() {
        List<List<String>> out = new ArrayList<>();
        Map<Path, Integer> index = new HashMap<>(), low = new HashMap<>();
        List<Path> stack = new ArrayList<>();
        int[] next = {0};
        for (Path v : edges.keySet()) if (!index.containsKey(v)) connect(v, index, low, stack, next, out);
        return out;
    }

    private void connect(Path v, Map<Path, Integer> index, Map<Path, Integer> low, List<Path> stack, int[] next,
                         List<List<String>> out) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.add(v);
        for (Path w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, next, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (!low.get(v).equals(index.get(v))) return;
        List<Path> comp = new ArrayList<>();
        Path w;
        do {
            w = stack.remove(stack.size() - 1);
            comp.add(w);
        } while (!w.equals(v));
        if (comp.size() < 2) return;
        List<String> lines = new ArrayList<>();
        for (Path a : comp)
            for (var e : edges.get(a).entrySet())
                if (comp.contains(e.getKey())) lines.add(a.getFileName() + " -> " + e.getKey().getFileName() + " " + e.getValue());
        out.add(lines);
    }
}
