package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.model.irq.AlteredIrqs;
import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IrqRouting.tla and the Java interrupt-routing model agree: on TLC's whole reachable state
 * graph (the bound of IrqRouting.cfg), the same initial state, and in every state the same
 * enabled actions and the same successors. An altered model (one that routes to a failed
 * IOPM) shows that the check can fail, naming the action.
 */
class IrqAgreementTest {

    static Repo repo;
    static Path work;
    static StateGraph graph;

    @BeforeAll
    static void setUp() throws Exception {
        repo = Repo.locate();
        work = Files.createDirectories(repo.reports().resolve("agreement"));
        graph = graph("IrqRouting.cfg");
    }

    /** Runs TLC on IrqRouting with {@code cfgName}'s constants (no properties) and dumps the graph. */
    static StateGraph graph(String cfgName) throws Exception {
        return SpecRuns.graph("IrqRouting", cfgName);
    }

    static IrqConfig configOf(String cfgName) throws Exception {
        Map<String, String> c = CfgConstants.read(repo.specs().resolve(cfgName));
        return new IrqConfig(Integer.parseInt(c.get("NDev")), Integer.parseInt(c.get("NVmmDev")),
                Integer.parseInt(c.get("NIopm")), Integer.parseInt(c.get("MaxIrq")),
                Integer.parseInt(c.get("MaxReq")), Integer.parseInt(c.get("MaxCrash")),
                Integer.parseInt(c.get("MissLimit")));
    }

    static Agreement.Report agree(Irq irq) throws Exception {
        Agreement.Report rep = Agreement.compare(graph, new IrqSpecModel(irq), 20);
        Files.writeString(work.resolve("IrqRouting-" + irq.getClass().getSimpleName() + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        return rep;
    }

    @Test
    void configMatchesTheModelsSmallBound() throws Exception {
        assertEquals(IrqConfig.small(), configOf("IrqRouting.cfg"));
        assertEquals(IrqConfig.deep(), configOf("IrqRoutingDeep.cfg"));
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        Agreement.Report rep = agree(new Irq(configOf("IrqRouting.cfg")));
        System.out.printf("IrqRouting.cfg agreement: %d states, %d transitions, %d divergences%n",
                rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    @Test
    void agreementCheckRejectsAModelThatRoutesToAFailedIopm() throws Exception {
        Agreement.Report rep = agree(new AlteredIrqs.RouteToFailed(configOf("IrqRouting.cfg")));
        assertFalse(rep.agrees(), "routing to a failed IOPM must show as a divergence");
        Agreement.Divergence first = rep.divergences().get(0);
        assertEquals("VmmRoute", first.action());
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmRoute")),
                () -> "only VmmRoute differs: " + rep.divergences());
        System.out.println("altered model, first divergence: " + first);
    }
}
