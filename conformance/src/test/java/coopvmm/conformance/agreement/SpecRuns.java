package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helper: the TLC runs every agreement test needs, on a spec of specs/ with the constants
 * of one of its configs: the whole state graph, and random simulations. Each run gets a
 * folder of its own under reports/agreement/ with a copy of the spec and a property-free copy
 * of the config (TLC wants the two side by side; dumps and simulations need no properties).
 */
final class SpecRuns {

    private SpecRuns() {
    }

    static Path folder(String spec, String cfgName, String suffix) throws Exception {
        Repo repo = Repo.locate();
        Path dir = Files.createDirectories(repo.reports().resolve("agreement")
                .resolve(cfgName.replace(".cfg", "") + suffix));
        Files.copy(repo.specs().resolve(spec + ".tla"), dir.resolve(spec + ".tla"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve(spec + ".cfg"), CfgConstants.withoutProperties(repo.specs().resolve(cfgName)));
        return dir;
    }

    /** TLC's whole reachable state graph of {@code spec} under {@code cfgName}'s constants. */
    static StateGraph graph(String spec, String cfgName) throws Exception {
        Path dir = folder(spec, cfgName, "");
        Path dot = dir.resolve("graph.dot");
        TlcResult r = new TlcRunner(Repo.locate().specs(), 1, 600).check(dir.resolve(spec + ".tla"),
                dir.resolve(spec + ".cfg"), dir.resolve("tlc.out"), List.of("-dump", "dot,actionlabels", dot.toString()));
        assertEquals(TlcResult.Verdict.HOLDS, r.verdict(), "TLC on " + cfgName + ": " + r.message());
        return StateGraph.readDot(dot);
    }

    /** {@code num} random behaviours of up to {@code depth} states, from TLC's simulation mode. */
    static List<List<Map<String, Object>>> simulate(String spec, String cfgName, int num, int depth) throws Exception {
        Path dir = folder(spec, cfgName, "-sim");
        Path sims = Files.createDirectories(dir.resolve("sim"));
        try (Stream<Path> old = Files.list(sims)) {
            for (Path p : old.toList()) Files.delete(p);
        }
        TlcResult r = new TlcRunner(Repo.locate().specs(), 1, 600).check(dir.resolve(spec + ".tla"),
                dir.resolve(spec + ".cfg"), dir.resolve("sim.out"),
                List.of("-simulate", "num=" + num + ",file=" + sims.resolve("beh"), "-depth", Integer.toString(depth),
                        "-seed", "7"));
        assertTrue(r.verdict() == TlcResult.Verdict.HOLDS || r.verdict() == TlcResult.Verdict.TLC_ERROR
                && r.message() != null, "simulation ran: " + r.message());
        List<List<Map<String, Object>>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(sims)) {
            for (Path f : s.sorted().toList()) out.add(SimulationTraces.read(f));
        }
        return out;
    }
}
