package coopvmm.conformance.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopvmm.conformance.tla.TlaValues;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcResult.TraceStep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TLC counterexample in Apalache's Informal Trace Format (ITF,
 * https://apalache-mc.org/docs/adr/015adr-trace.html), so tools that read Apalache traces
 * (and people with jq) can use ours.
 */
public final class ItfTrace {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ItfTrace() {
    }

    /** Writes the counterexample of {@code r} to {@code file}; returns the file. */
    public static Path write(TlcResult r, Path spec, Path config, Path file) throws IOException {
        Json.write(of(r, spec, config), file);
        return file;
    }

    public static ObjectNode of(TlcResult r, Path spec, Path config) {
        ObjectNode root = F.objectNode();
        ObjectNode meta = root.putObject("#meta");
        meta.put("format", "ITF");
        meta.put("format-description", "https://apalache-mc.org/docs/adr/015adr-trace.html");
        meta.put("source", spec.getFileName().toString());
        meta.put("config", config.getFileName().toString());
        meta.put("description", "TLC counterexample: " + r.verdict().text()
                + (r.property() != null ? " (" + r.property() + ")" : "")
                + (r.message() != null ? ": " + r.message() : ""));
        meta.put("verdict", r.verdict().text());
        if (r.property() != null) meta.put("property", r.property());
        // A liveness counterexample is a lasso: TLC's "Back to state k" is state k-1 here (0-based).
        if (r.loopTo() > 0) meta.put("loop", r.loopTo() - 1);
        else if (r.loopTo() == 0) meta.put("stutters", true);

        Set<String> vars = new LinkedHashSet<>();
        for (TraceStep s : r.trace()) vars.addAll(s.vars().keySet());
        ArrayNode names = root.putArray("vars");
        vars.forEach(names::add);

        ArrayNode states = root.putArray("states");
        List<TraceStep> steps = r.trace();
        for (int i = 0; i < steps.size(); i++) {
            TraceStep s = steps.get(i);
            ObjectNode st = states.addObject();
            ObjectNode sm = st.putObject("#meta");
            sm.put("index", i);
            if (s.action() != null) sm.put("action", s.action());
            for (var e : s.vars().entrySet()) st.set(e.getKey(), fromText(e.getValue()));
        }
        return root;
    }

    /**
     * A value as TLC printed it; one the parser does not know is kept as its text under
     * ITF's {@code #unserializable}, so one odd variable does not lose the whole trace.
     */
    public static JsonNode fromText(String text) {
        try {
            return value(TlaValues.parse(text));
        } catch (IllegalArgumentException e) {
            return F.objectNode().put("#unserializable", text);
        }
    }

    /** A value as {@link TlaValues} returns it. */
    public static JsonNode value(Object v) {
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Number n) return F.objectNode().put("#bigint", n.toString());
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            for (Object x : l) a.add(value(x));
            return a;
        }
        if (v instanceof Set<?> s) {
            ArrayNode a = F.arrayNode();
            for (Object x : s) a.add(value(x));
            ObjectNode o = F.objectNode();
            o.set("#set", a);
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            // TlaValues gives records and functions both as maps. A function whose domain is
            // strings equals the record with those fields in TLA+, so string keys make a record;
            // any other domain is an ITF #map of pairs.
            boolean record = !m.isEmpty() && m.keySet().stream().allMatch(k -> k instanceof String);
            if (record) {
                ObjectNode o = F.objectNode();
                for (var e : m.entrySet()) o.set((String) e.getKey(), value(e.getValue()));
                return o;
            }
            ArrayNode pairs = F.arrayNode();
            for (var e : m.entrySet()) pairs.addArray().add(value(e.getKey())).add(value(e.getValue()));
            ObjectNode o = F.objectNode();
            o.set("#map", pairs);
            return o;
        }
        throw new IllegalArgumentException("not a TLA+ value: " + v);
    }
}
