package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.model.guestio.Command;
import coopvmm.model.guestio.GuestIo;
import coopvmm.model.guestio.GuestIoConfig;
import coopvmm.model.guestio.GuestIoInvariants;
import coopvmm.model.guestio.GuestIoState;
import coopvmm.model.guestio.Mode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GuestIo.tla's management (the console's commands on the management ring) and the Java model
 * agree on TLC's whole graph of GuestIoAdmin.cfg: same initial state, same enabled actions and
 * successors in every state, the model's invariants on every state TLC reached. Two altered
 * models, those of the spec mutants AdminStopDuringExit and AdminAnswerLost, diverge at
 * VmmCarryOutCommand only, and their own graphs break the property the mutant breaks.
 */
class GuestIoAdminAgreementTest {

    static Path work;
    static StateGraph graph;
    static GuestIoConfig config;

    @BeforeAll
    static void setUp() throws Exception {
        Repo repo = Repo.locate();
        work = Files.createDirectories(repo.reports().resolve("agreement"));
        graph = SpecRuns.graph("GuestIo", "GuestIoAdmin.cfg");
        config = GuestIoConfig.admin();
    }

    static Agreement.Report agree(GuestIo io) throws Exception {
        Agreement.Report rep = Agreement.compare(graph, new GuestIoSpecModel(io), 20);
        Files.writeString(work.resolve("GuestIoAdmin-" + io.getClass().getSimpleName() + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        return rep;
    }

    /** The invariants broken somewhere in the altered model's own graph, from Init. */
    static Set<String> brokenInOwnGraph(GuestIo altered) {
        GuestIoInvariants inv = new GuestIoInvariants(config);
        ArrayDeque<GuestIoState> q = new ArrayDeque<>(List.of(GuestIoState.init(config)));
        Set<GuestIoState> seen = new HashSet<>(q);
        Set<String> out = new TreeSet<>();
        while (!q.isEmpty()) {
            GuestIoState s = q.poll();
            out.addAll(inv.violated(s));
            for (GuestIo.Step st : altered.successors(s)) if (seen.add(st.next())) q.add(st.next());
        }
        return out;
    }

    @Test
    void theConfigIsTheModelsManagementBound() throws Exception {
        assertEquals(config, GuestIoAgreementTest.configOf("GuestIoAdmin.cfg"));
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        Agreement.Report rep = agree(new GuestIo(config));
        System.out.printf("GuestIoAdmin.cfg agreement: %d states, %d transitions, %d divergences%n",
                rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
        // the graph has every command carried out both ways: a refusal and each op done
        GuestIoSpecModel m = new GuestIoSpecModel(new GuestIo(config));
        boolean refused = false;
        Set<Mode> reached = new TreeSet<>();
        for (Map<String, Object> vars : graph.states().values()) {
            GuestIoState s = m.fromTla(vars);
            refused |= s.answered().stream().anyMatch(a -> !a.ok());
            reached.add(s.mode(2));
            assertEquals(List.of(), new GuestIoInvariants(config).violated(s), s::toString);
        }
        assertTrue(refused, "some command is refused");
        assertTrue(reached.containsAll(Set.of(Mode.ABSENT, Mode.CREATED, Mode.GUEST, Mode.WAITING, Mode.PAUSED,
                Mode.DESTROYED)), reached::toString);
    }

    @Test
    void agreementRejectsAModelThatStopsAVmDuringItsExit() throws Exception {
        GuestIo altered = new StopDuringExit(config);
        Agreement.Report rep = agree(altered);
        assertFalse(rep.agrees(), "a stop of a waiting vCPU must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmCarryOutCommand")),
                () -> "only VmmCarryOutCommand differs: " + rep.divergences());
        assertTrue(brokenInOwnGraph(altered).contains("OneRequestPerExit"), () -> "broken: " + brokenInOwnGraph(altered));
    }

    @Test
    void agreementRejectsAModelThatLosesARefusalsAnswer() throws Exception {
        GuestIo altered = new AnswerLost(config);
        Agreement.Report rep = agree(altered);
        assertFalse(rep.agrees(), "a refusal without an answer must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmCarryOutCommand")),
                () -> "only VmmCarryOutCommand differs: " + rep.divergences());
        assertTrue(brokenInOwnGraph(altered).contains("CommandsAnsweredInOrder"), () -> "broken: " + brokenInOwnGraph(altered));
    }

    /** {@code specs/mutants/AdminStopDuringExit.tla}: a VM with an exit in flight counts as running. */
    static final class StopDuringExit extends GuestIo {
        StopDuringExit(GuestIoConfig c) {
            super(c);
        }

        @Override
        public java.util.Optional<GuestIoState> vmmCarryOutCommand(GuestIoState s, int i) {
            if (i < 1 || i > config().nIopm() || s.cmdQ(i).isEmpty()) return java.util.Optional.empty();
            Command cmd = s.cmdQ(i).get(0);
            Mode m = s.mode(cmd.vcpu());
            return java.util.Optional.of(carryOut(s, i, cmd, m.inExit() ? Mode.GUEST : m));
        }
    }

    /** {@code specs/mutants/AdminAnswerLost.tla}: a refused command gets no answer. */
    static final class AnswerLost extends GuestIo {
        AnswerLost(GuestIoConfig c) {
            super(c);
        }

        @Override
        public java.util.Optional<GuestIoState> vmmCarryOutCommand(GuestIoState s, int i) {
            return super.vmmCarryOutCommand(s, i).map(n -> {
                if (n.ansQ(i).get(n.ansQ(i).size() - 1).ok()) return n;
                var b = n.with();
                b.ansQ = GuestIoState.set(n.ansQ(), i, s.ansQ(i));
                return b.build();
            });
        }
    }
}
