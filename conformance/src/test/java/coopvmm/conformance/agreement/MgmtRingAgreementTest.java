package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.model.mgmtring.MgmtRing;
import coopvmm.model.mgmtring.MgmtRingInvariants;
import coopvmm.model.mgmtring.MgmtRingState;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.RingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MgmtRing.tla (the management ring: the console's commands, the VMM's answers) and the Java
 * model agree on TLC's whole graph of MgmtRing.cfg and of MgmtRingHostile.cfg: the same
 * initial state, enabled actions and successors everywhere, the model's invariants on every
 * state TLC reached. The models of the spec mutants MgmtTrustConsoleIndex and
 * MgmtVmmMissingFinalCheck diverge, each at its action.
 */
class MgmtRingAgreementTest {

    static Path work;
    /** TLC's graphs, one run per config for the whole class. */
    static final Map<String, StateGraph> graphs = new java.util.HashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createDirectories(Repo.locate().reports().resolve("agreement"));
    }

    static StateGraph graph(String cfgName) throws Exception {
        StateGraph g = graphs.get(cfgName);
        if (g == null) graphs.put(cfgName, g = SpecRuns.graph("MgmtRing", cfgName));
        return g;
    }

    static RingConfig configOf(String cfgName) throws Exception {
        Map<String, String> c = CfgConstants.read(Repo.locate().specs().resolve(cfgName));
        return new RingConfig(Integer.parseInt(c.get("N")), Long.parseLong(c.get("IdxMod")),
                Integer.parseInt(c.get("MaxCmd")), Boolean.parseBoolean(c.get("PeerFaults").toLowerCase()));
    }

    static Agreement.Report agree(String cfgName, MgmtRing ring) throws Exception {
        StateGraph g = graph(cfgName);
        Agreement.Report rep = Agreement.compare(g, new MgmtRingSpecModel(ring), 20);
        Files.writeString(work.resolve(cfgName.replace(".cfg", "") + "-" + ring.getClass().getSimpleName() + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        List<String> bad = new ArrayList<>();
        MgmtRingSpecModel m = new MgmtRingSpecModel(ring);
        MgmtRingInvariants inv = new MgmtRingInvariants(ring.config());
        for (Map<String, Object> vars : g.states().values()) {
            MgmtRingState s = m.fromTla(vars);
            if (!inv.violated(s).isEmpty() && bad.size() < 5) bad.add(inv.violated(s) + " in " + s);
        }
        assertTrue(bad.isEmpty(), () -> "the model's invariants fail on a state TLC reached:\n" + String.join("\n", bad));
        return rep;
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        Agreement.Report rep = agree("MgmtRing.cfg", new MgmtRing(configOf("MgmtRing.cfg")));
        System.out.printf("MgmtRing.cfg agreement: %d states, %d transitions, %d divergences%n",
                rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    @Test
    void modelAgreesWithSpecUnderAHostileConsole() throws Exception {
        Agreement.Report rep = agree("MgmtRingHostile.cfg", new MgmtRing(configOf("MgmtRingHostile.cfg")));
        System.out.printf("MgmtRingHostile.cfg agreement: %d states, %d transitions%n", rep.states(), rep.transitions());
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    @Test
    void agreementRejectsAVmmThatTrustsTheConsolesIndex() throws Exception {
        MgmtRing altered = new TrustConsoleIndex(configOf("MgmtRingHostile.cfg"));
        Agreement.Report rep = agree("MgmtRingHostile.cfg", altered);
        assertFalse(rep.agrees(), "taking past a bogus index must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmTakeCommand")),
                () -> "only VmmTakeCommand differs: " + rep.divergences());
        System.out.println("altered model, first divergence: " + rep.divergences().get(0));
    }

    @Test
    void agreementRejectsAVmmThatSleepsWithoutItsFinalCheck() throws Exception {
        Agreement.Report rep = agree("MgmtRing.cfg", new MissingFinalCheck(configOf("MgmtRing.cfg")));
        assertFalse(rep.agrees(), "a sleep without the final check must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmFinalCheck")),
                () -> "only VmmFinalCheck differs: " + rep.divergences());
    }

    /** {@code specs/mutants/MgmtTrustConsoleIndex.tla}: no bound on the console's index. */
    static final class TrustConsoleIndex extends MgmtRing {
        TrustConsoleIndex(RingConfig c) {
            super(c);
        }

        @Override
        public Optional<MgmtRingState> vmmTakeCommand(MgmtRingState s) {
            if (s.vmmPc() != Pc.RUN || !s.consoleTrusted() || s.cmdCons() == s.cmdProd()) return Optional.empty();
            var b = s.with();
            int id = s.cmdRing().get(config().slot(s.cmdCons()));
            List<Integer> got = new ArrayList<>(s.cmdGot()), pend = new ArrayList<>(s.pending());
            got.add(id);
            pend.add(id);
            b.cmdGot = got;
            b.pending = pend;
            b.cmdCons = config().inc(s.cmdCons());
            return Optional.of(b.build());
        }
    }

    /** {@code specs/mutants/MgmtVmmMissingFinalCheck.tla}, its final check: sleeps whatever it sees. */
    static final class MissingFinalCheck extends MgmtRing {
        MissingFinalCheck(RingConfig c) {
            super(c);
        }

        @Override
        public Optional<MgmtRingState> vmmFinalCheck(MgmtRingState s) {
            return super.vmmFinalCheck(s).map(n -> {
                var b = n.with();
                b.vmmPc = Pc.SLEEP;
                return b.build();
            });
        }
    }

    @Test
    void theConfigsAreTheSmallAndHostileBounds() throws Exception {
        assertEquals(new RingConfig(2, 4, 4, false), configOf("MgmtRing.cfg"));
        assertEquals(true, configOf("MgmtRingHostile.cfg").peerFaults());
    }
}
