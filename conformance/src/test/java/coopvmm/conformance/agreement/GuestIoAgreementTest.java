package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.model.guestio.Disk;
import coopvmm.model.guestio.Reg;
import coopvmm.model.guestio.Request;
import coopvmm.model.guestio.Dir;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GuestIo.tla and the Java guest I/O model agree: on TLC's whole reachable state graph (the
 * bound of GuestIo.cfg), the same initial state, and in every state the same enabled actions
 * and the same successors; the model's invariants hold on every state TLC reached. Two altered
 * models show that the check can fail, each naming its action, and that the model's own
 * invariants name the property the matching spec mutant breaks.
 */
class GuestIoAgreementTest {

    static Repo repo;
    static Path work;
    static StateGraph graph;
    static GuestIoConfig config;

    @BeforeAll
    static void setUp() throws Exception {
        repo = Repo.locate();
        work = Files.createDirectories(repo.reports().resolve("agreement"));
        graph = SpecRuns.graph("GuestIo", "GuestIo.cfg");
        config = configOf("GuestIo.cfg");
    }

    static GuestIoConfig configOf(String cfgName) throws Exception {
        Map<String, String> c = CfgConstants.read(Repo.locate().specs().resolve(cfgName));
        return new GuestIoConfig(Integer.parseInt(c.get("NVcpu")), Integer.parseInt(c.get("NIopm")),
                Integer.parseInt(c.get("NDev")), Integer.parseInt(c.get("NInsn")),
                Integer.parseInt(c.get("MaxFail")), Integer.parseInt(c.get("NAdmin")));
    }

    static Agreement.Report agree(GuestIo io) throws Exception {
        Agreement.Report rep = Agreement.compare(graph, new GuestIoSpecModel(io), 20);
        Files.writeString(work.resolve("GuestIo-" + io.getClass().getSimpleName() + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        return rep;
    }

    /** The invariants the altered model's own steps break, from every state of TLC's graph. */
    static Set<String> brokenBy(GuestIo altered) {
        GuestIoSpecModel m = new GuestIoSpecModel(altered);
        GuestIoInvariants inv = new GuestIoInvariants(config);
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> vars : graph.states().values())
            for (GuestIo.Step st : altered.successors(m.fromTla(vars))) out.addAll(inv.violated(st.next()));
        return out;
    }

    @Test
    void configsMatchTheModelsBounds() throws Exception {
        assertEquals(GuestIoConfig.small(), configOf("GuestIo.cfg"));
        assertEquals(GuestIoConfig.deep(), configOf("GuestIoDeep.cfg"));
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        Agreement.Report rep = agree(new GuestIo(config));
        System.out.printf("GuestIo.cfg agreement: %d states, %d transitions, %d divergences%n",
                rep.states(), rep.transitions(), rep.divergences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    @Test
    void theModelsInvariantsHoldOnEveryStateTlcReached() {
        GuestIoSpecModel m = new GuestIoSpecModel(new GuestIo(config));
        GuestIoInvariants inv = new GuestIoInvariants(config);
        List<String> bad = new ArrayList<>();
        for (Map<String, Object> vars : graph.states().values()) {
            GuestIoState s = m.fromTla(vars);
            if (!inv.violated(s).isEmpty() && bad.size() < 5) bad.add(inv.violated(s) + " in " + s);
        }
        assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
        // and the graph has a failover that re-issues a request: the dead IOPM's queue emptied
        assertTrue(graph.edges().stream().anyMatch(e -> e.action().equals("VmmFailover")
                && reissues(m.fromTla(graph.states().get(e.from())), m.fromTla(graph.states().get(e.to())))),
                "a failover re-issues an untaken request");
    }

    /** A step that fails an IOPM over and moves at least one of its requests to another. */
    static boolean reissues(GuestIoState from, GuestIoState to) {
        for (int f = 1; f <= config.nIopm(); f++)
            if (!from.failed(f) && to.failed(f) && !from.reqQ(f).isEmpty() && to.reqQ(f).isEmpty()) return true;
        return false;
    }

    @Test
    void agreementRejectsAModelThatResumesBeforeTheResponse() throws Exception {
        GuestIo altered = new ResumeBeforeResponse(config);
        Agreement.Report rep = agree(altered);
        assertFalse(rep.agrees(), "resuming a waiting vCPU must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.kind().equals("extra")
                && d.action().equals("VmmResumeGuest")), () -> "only VmmResumeGuest differs: " + rep.divergences());
        assertTrue(brokenBy(altered).contains("RunsOnlyWhenAnswered"), () -> "broken: " + brokenBy(altered));
        System.out.println("altered model, first divergence: " + rep.divergences().get(0));
    }

    @Test
    void agreementRejectsAModelThatLosesAnExitAtFailover() throws Exception {
        GuestIo altered = new ExitLostAtFailover(config);
        Agreement.Report rep = agree(altered);
        assertFalse(rep.agrees(), "dropping the failed IOPM's requests must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmFailover")),
                () -> "only VmmFailover differs: " + rep.divergences());
        assertEquals(Set.of("NoLostExit"), brokenBy(altered));
    }

    @Test
    void agreementRejectsAControllerThatDoesNotReportAWritesCompletion() throws Exception {
        GuestIo altered = new CompletionNotReported(config);
        Agreement.Report rep = agree(altered);
        assertFalse(rep.agrees(), "a STATUS left stale by a write must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("IopmServe")),
                () -> "only IopmServe differs: " + rep.divergences());
        assertTrue(guestCheckFailsAfter(altered), "some behaviour of the altered model ends in a failed guest check");
    }

    @Test
    void agreementRejectsAModelThatLosesTheDiskAtFailover() throws Exception {
        GuestIo altered = new DiskLostAtFailover(config);
        Agreement.Report rep = agree(altered);
        assertFalse(rep.agrees(), "a blank disk after the failover must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmFailover")),
                () -> "only VmmFailover differs: " + rep.divergences());
        // the failover step itself breaks nothing: the loss shows when a guest reads the sector back
        assertEquals(Set.of(), brokenBy(altered));
        assertTrue(guestCheckFailsAfter(altered), "some behaviour of the altered model ends in a failed guest check");
    }

    /** Explores the altered model's own graph from Init: does some state have a guest's check failed? */
    static boolean guestCheckFailsAfter(GuestIo altered) {
        GuestIoInvariants inv = new GuestIoInvariants(config);
        ArrayDeque<GuestIoState> q = new ArrayDeque<>(List.of(GuestIoState.init(config)));
        Set<GuestIoState> seen = new HashSet<>(q);
        while (!q.isEmpty()) {
            GuestIoState s = q.poll();
            if (inv.violated(s).contains("GuestChecksPass")) return true;
            for (GuestIo.Step st : altered.successors(s)) if (seen.add(st.next())) q.add(st.next());
        }
        return false;
    }

    /** {@code specs/mutants/GuestResumeBeforeResponse.tla}: re-enters a vCPU once its request is submitted. */
    static final class ResumeBeforeResponse extends GuestIo {
        ResumeBeforeResponse(GuestIoConfig c) {
            super(c);
        }

        @Override
        public Optional<GuestIoState> vmmResumeGuest(GuestIoState s, int v) {
            if (s.mode(v) != Mode.WAITING) return super.vmmResumeGuest(s, v);
            var b = s.with();
            b.mode = GuestIoState.set(s.mode(), v, Mode.GUEST);
            b.rip = GuestIoState.set(s.rip(), v, s.exit(v).rip() + config().len(config().insn(s.exit(v).rip())));
            return Optional.of(b.build());
        }
    }

    /** {@code specs/mutants/GuestCompletionNotReported.tla}: a DATA out leaves STATUS as it was. */
    static final class CompletionNotReported extends GuestIo {
        CompletionNotReported(GuestIoConfig c) {
            super(c);
        }

        @Override
        public Optional<GuestIoState> iopmServe(GuestIoState s, int i) {
            return super.iopmServe(s, i).map(n -> {
                Request r = s.reqQ(i).get(0);
                if (config().reg(config().insn(r.rip())) != Reg.DATA || r.dir() != Dir.OUT) return n;
                var b = n.with();
                b.dev = GuestIoState.set(n.dev(), r.port(), n.dev(r.port()).withStat(r.vcpu(), s.dev(r.port()).stat(r.vcpu())));
                return b.build();
            });
        }
    }

    /** {@code specs/mutants/GuestDiskLostAtFailover.tla}: the failed IOPM's disks come back blank. */
    static final class DiskLostAtFailover extends GuestIo {
        DiskLostAtFailover(GuestIoConfig c) {
            super(c);
        }

        @Override
        public Optional<GuestIoState> vmmFailover(GuestIoState s, int f) {
            return super.vmmFailover(s, f).map(n -> {
                var b = n.with();
                for (int d = 1; d <= config().nDev(); d++)
                    if (s.route(d) == f) b.dev = GuestIoState.set(b.dev, d, Disk.blank(config()));
                return b.build();
            });
        }
    }

    /** {@code specs/mutants/GuestExitLostAtFailover.tla}: the failover re-issues nothing. */
    static final class ExitLostAtFailover extends GuestIo {
        ExitLostAtFailover(GuestIoConfig c) {
            super(c);
        }

        @Override
        public Optional<GuestIoState> vmmFailover(GuestIoState s, int f) {
            return super.vmmFailover(s, f).map(n -> {
                var b = n.with();
                b.reqQ = GuestIoState.set(n.reqQ(), target(s, f), s.reqQ(target(s, f)));
                return b.build();
            });
        }
    }
}
