package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.model.boot.ApState;
import coopvmm.model.boot.Boot;
import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootConfig;
import coopvmm.model.boot.BootState;
import coopvmm.model.boot.VmmPc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BootHandoff.tla and the Java boot model agree: on TLC's whole reachable state graph of
 * BootHandoff.cfg, and of BootHandoffVmmCpus.cfg (an AP that runs the VMM), the same enabled
 * actions and the same successors in every state. An altered
 * model (a SIPI while the protected-mode code is still being copied) shows that the check fails.
 * The graph is dumped once and shared by the tests. The larger bound of BootHandoffDeep.cfg
 * is too large to dump within the test's time: random TLC simulations of it replay through
 * the model instead.
 */
class BootAgreementTest {

    static final String CFG = "BootHandoff.cfg";
    static final String VMM_CPUS_CFG = "BootHandoffVmmCpus.cfg";

    static Repo repo;
    static Path work;
    static StateGraph graph;
    static BootConfig config;
    static StateGraph vmmCpusGraph;
    static BootConfig vmmCpusConfig;

    @BeforeAll
    static void setUp() throws Exception {
        repo = Repo.locate();
        work = Files.createDirectories(repo.reports().resolve("agreement"));
        graph = graph(CFG);
        config = configOf(CFG);
        vmmCpusGraph = graph(VMM_CPUS_CFG);
        vmmCpusConfig = configOf(VMM_CPUS_CFG);
    }

    /** Runs TLC on BootHandoff with {@code cfgName}'s constants and returns the dumped graph. */
    static StateGraph graph(String cfgName) throws Exception {
        return SpecRuns.graph("BootHandoff", cfgName);
    }

    /** The model's constants from the config: sets are written {@code {1,2}} there. */
    static BootConfig configOf(String cfgName) throws Exception {
        Map<String, String> c = CfgConstants.read(repo.specs().resolve(cfgName));
        return new BootConfig(Integer.parseInt(c.get("NumAPs")), Integer.parseInt(c.get("PmSize")),
                Integer.parseInt(c.get("MaxTries")), set(c.get("Slow")), Integer.parseInt(c.get("SlowBy")),
                set(c.get("Dead")), set(c.get("Rogue")), Integer.parseInt(c.get("MaxWork")),
                Integer.parseInt(c.get("NVmmAps")));
    }

    static Set<Integer> set(String text) {
        if (text == null || !text.startsWith("{") || !text.endsWith("}"))
            throw new IllegalArgumentException("not a set of APs (write {1,2}, no spaces): " + text);
        Set<Integer> out = new HashSet<>();
        for (String x : text.substring(1, text.length() - 1).split(","))
            if (!x.isBlank()) out.add(Integer.parseInt(x.strip()));
        return out;
    }

    static Agreement.Report agree(Boot boot) throws Exception {
        return agree(graph, boot, "");
    }

    static Agreement.Report agree(StateGraph g, Boot boot, String tag) throws Exception {
        Agreement.Report rep = Agreement.compare(g, new BootSpecModel(boot), 20);
        Files.writeString(work.resolve("BootHandoff" + tag + "-" + boot.getClass().getSimpleName() + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        return rep;
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        Agreement.Report rep = agree(new Boot(config));
        System.out.printf("BootHandoff.cfg agreement: %d states, %d transitions, %d divergences%n",
                rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    @Test
    void modelAgreesWithSpecWhenAnApRunsTheVmm() throws Exception {
        Agreement.Report rep = agree(vmmCpusGraph, new Boot(vmmCpusConfig), "VmmCpus");
        System.out.printf("%s agreement: %d states, %d transitions, %d divergences%n",
                VMM_CPUS_CFG, rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 500, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    /** The two graphs exercise every action of the spec (so agreement covers each of them). */
    @Test
    void theGraphsTakeEveryAction() {
        Set<String> seen = new HashSet<>();
        for (StateGraph.Edge e : graph.edges()) seen.add(e.action());
        for (StateGraph.Edge e : vmmCpusGraph.edges()) seen.add(e.action());
        for (BootAction a : BootAction.values())
            assertTrue(seen.contains(BootSpecModel.label(a)), () -> a.tla() + " never taken in " + CFG + " or " + VMM_CPUS_CFG);
    }

    /** A model that boots a VMM AP into the IOPM entry, as if it were one more IOPM. */
    static final class VmmApAsIopmBoot extends Boot {
        VmmApAsIopmBoot(BootConfig c) {
            super(c);
        }

        @Override
        public Optional<BootState> apEnterIopm(BootState s, int a) {
            if (s.apOf(a) != ApState.PROT) return Optional.empty();   // the bug: no VMM-AP check
            return Optional.of(s.with().ap(a, ApState.SETUP).build());
        }
    }

    @Test
    void agreementOnTheVmmCpusGraphRejectsAnAlteredModel() throws Exception {
        Agreement.Report rep = agree(vmmCpusGraph, new VmmApAsIopmBoot(vmmCpusConfig), "VmmCpus");
        assertFalse(rep.agrees(), "a VMM AP entering the IOPM must show as a divergence");
        Agreement.Divergence first = rep.divergences().get(0);
        assertEquals("extra", first.kind());
        assertEquals("ApEnterIopm", first.action());
    }

    /** A model that sends the SIPI while the protected-mode code is still being copied. */
    static final class EagerSipiBoot extends Boot {
        EagerSipiBoot(BootConfig c) {
            super(c);
        }

        @Override
        public Optional<BootState> vmmSendSipi(BootState s) {
            if (s.vmmPc() != VmmPc.PM) return super.vmmSendSipi(s);
            int a = s.cur(); // the bug: the SIPI goes out mid-copy, and the copy goes on
            var b = s.with().sipis(a, s.sipisOf(a) + 1);
            if (s.apOf(a) == ApState.WAIT_SIPI) b.ap(a, ApState.REAL).starts(a, s.startsOf(a) + 1);
            return Optional.of(b.build());
        }
    }

    @Test
    void agreementCheckRejectsAnAlteredModel() throws Exception {
        Agreement.Report rep = agree(new EagerSipiBoot(config));
        assertFalse(rep.agrees(), "a SIPI before the layout is complete must show as a divergence");
        Agreement.Divergence first = rep.divergences().get(0);
        assertEquals("extra", first.kind());
        assertEquals("VmmSendSipi", first.action());
        System.out.println("altered model, first divergence: " + first);
    }

    /** A model whose VMM gives an AP up at the first timeout: it lacks the spec's VmmRetry steps. */
    static final class NoRetryBoot extends Boot {
        NoRetryBoot(BootConfig c) {
            super(c);
        }

        @Override
        public Optional<BootState> vmmRetry(BootState s) {
            return Optional.empty();
        }
    }

    @Test
    void deepSimulationsReplayThroughTheModelAndNotThroughAnAlteredOne() throws Exception {
        List<List<Map<String, Object>>> behaviours = SpecRuns.simulate("BootHandoff", "BootHandoffDeep.cfg", 40, 150);
        assertTrue(behaviours.size() >= 20, "TLC wrote the behaviours: " + behaviours.size());
        BootConfig deep = configOf("BootHandoffDeep.cfg");
        BootSpecModel model = new BootSpecModel(new Boot(deep));
        BootSpecModel noRetry = new BootSpecModel(new NoRetryBoot(deep));
        int steps = 0, noRetryRejects = 0;
        for (int i = 0; i < behaviours.size(); i++) {
            List<Map<String, Object>> beh = behaviours.get(i);
            steps += beh.size();
            assertEquals(0, Agreement.replay(beh, model), "behaviour " + i + " diverges at state");
            if (Agreement.replay(beh, noRetry) > 0) noRetryRejects++;
        }
        System.out.printf("replayed %d simulated BootHandoffDeep behaviours, %d states; the altered model rejected %d%n",
                behaviours.size(), steps, noRetryRejects);
        assertTrue(steps > behaviours.size() * 30, "behaviours are long");
        assertTrue(noRetryRejects > 0, "a model that never retries must fail the replays where a slow AP needs it");
    }
}
