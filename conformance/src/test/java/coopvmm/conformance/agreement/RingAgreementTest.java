package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.model.ring.AlteredRings;
import coopvmm.model.ring.Ring;
import coopvmm.model.ring.RingConfig;
import coopvmm.model.ring.RingState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CoopRing.tla and the Java ring model agree: on TLC's whole reachable state graph (the bound
 * of CoopRing.cfg and of CoopRingHostile.cfg), the same enabled actions and the same
 * successors in every state; and long random TLC simulations replay through the model.
 * Altered models show that the check can fail.
 */
class RingAgreementTest {

    static Repo repo;
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        repo = Repo.locate();
        work = Files.createDirectories(repo.reports().resolve("agreement"));
    }

    /** Each config's graph, dumped once: the agreement and the altered model's rejection share CoopRing.cfg's. */
    private static final Map<String, StateGraph> graphs = new java.util.HashMap<>();

    /** Runs TLC on CoopRing with {@code cfgName}'s constants (once per config) and returns the dumped graph. */
    static StateGraph graph(String cfgName) throws Exception {
        StateGraph g = graphs.get(cfgName);
        if (g == null) graphs.put(cfgName, g = SpecRuns.graph("CoopRing", cfgName));
        return g;
    }

    static RingConfig configOf(String cfgName) throws Exception {
        Map<String, String> c = CfgConstants.read(repo.specs().resolve(cfgName));
        return new RingConfig(Integer.parseInt(c.get("N")), Long.parseLong(c.get("IdxMod")),
                Integer.parseInt(c.get("MaxReq")), Boolean.parseBoolean(c.get("PeerFaults").toLowerCase()));
    }

    static Agreement.Report agree(String cfgName, Ring ring) throws Exception {
        StateGraph g = graph(cfgName);
        Agreement.Report rep = Agreement.compare(g, new RingSpecModel(ring), 20);
        Files.writeString(work.resolve(cfgName.replace(".cfg", "") + "-" + ring.getClass().getSimpleName() + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        return rep;
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        Agreement.Report rep = agree("CoopRing.cfg", new Ring(configOf("CoopRing.cfg")));
        System.out.printf("CoopRing.cfg agreement: %d states, %d transitions, %d divergences%n",
                rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    @Test
    void modelAgreesWithSpecUnderPeerFaults() throws Exception {
        Agreement.Report rep = agree("CoopRingHostile.cfg", new Ring(configOf("CoopRingHostile.cfg")));
        System.out.printf("CoopRingHostile.cfg agreement: %d states, %d transitions%n", rep.states(), rep.transitions());
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    /** A model whose VMM never notifies: missing transitions to states with the IPI pending. */
    static final class SilentNotifyRing extends Ring {
        SilentNotifyRing(RingConfig c) {
            super(c);
        }

        @Override
        public Optional<RingState> vmmSendIpi(RingState s) {
            return super.vmmSendIpi(s).map(n -> {
                var b = n.with();
                b.ipiIopm = s.ipiIopm();
                return b.build();
            });
        }
    }

    @Test
    void agreementCheckRejectsAnAlteredModel() throws Exception {
        Agreement.Report rep = agree("CoopRing.cfg", new AlteredRings.OffByOneFull(configOf("CoopRing.cfg")));
        assertFalse(rep.agrees(), "an off-by-one full check must show as a divergence");
        Agreement.Divergence first = rep.divergences().get(0);
        assertEquals("extra", first.kind());
        assertEquals("VmmWriteRequest", first.action());
        System.out.println("altered model, first divergence: " + first);
    }

    @Test
    void simulationsReplayThroughTheModelAndNotThroughAnAlteredOne() throws Exception {
        List<List<Map<String, Object>>> behaviours = SpecRuns.simulate("CoopRing", "CoopRing.cfg", 40, 300);
        assertTrue(behaviours.size() >= 20, "TLC wrote the behaviours: " + behaviours.size());
        RingConfig cfg = configOf("CoopRing.cfg");
        RingSpecModel model = new RingSpecModel(new Ring(cfg));
        RingSpecModel silent = new RingSpecModel(new SilentNotifyRing(cfg));
        int steps = 0, silentRejects = 0;
        for (int i = 0; i < behaviours.size(); i++) {
            List<Map<String, Object>> beh = behaviours.get(i);
            steps += beh.size();
            assertEquals(0, Agreement.replay(beh, model), "behaviour " + i + " diverges at state");
            if (Agreement.replay(beh, silent) > 0) silentRejects++;
        }
        System.out.printf("replayed %d simulated behaviours, %d states; the altered model rejected %d%n",
                behaviours.size(), steps, silentRejects);
        assertTrue(steps > behaviours.size() * 10, "behaviours are long");
        assertTrue(silentRejects > 0, "a model that never notifies must fail some replay");
    }
}
