package coopvmm.conformance.agreement;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tla.TlaValues;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcRunner;
import coopvmm.model.ringtso.Addr;
import coopvmm.model.ringtso.AlteredTso;
import coopvmm.model.ringtso.Fence;
import coopvmm.model.ringtso.Tso;
import coopvmm.model.ringtso.TsoConfig;
import coopvmm.model.ringtso.TsoInvariants;
import coopvmm.model.ringtso.TsoState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CoopRingTSO.tla and the Java TSO ring model ({@code coopvmm.model.ringtso}) agree: on TLC's
 * whole reachable state graph of CoopRingTSO.cfg (every barrier) and of CoopRingTSONoWmb.cfg
 * (the four write barriers left out, so the model's handling of Fences is covered), and of a
 * bound of the test's own without the two publish full barriers (an IPI queued in a store
 * buffer), the same enabled actions and the same successors in every state; and TLC
 * simulations replay through the model. Altered models show that the check can fail: a full barrier that does not wait
 * (extra transitions), a consumer without store forwarding (missing and extra ones), and in the
 * replay a VMM that never notifies.
 * Each graph is dumped once and shared by the tests (TLC's runs are most of the time).
 */
class RingTsoAgreementTest {

    static final String SPEC = "CoopRingTSO";
    static Repo repo;
    static Path work;

    static final Map<String, CompletableFuture<StateGraph>> GRAPHS = new ConcurrentHashMap<>();
    static CompletableFuture<List<List<Map<String, Object>>>> simulations;

    /**
     * Starts TLC's four runs at once (three graph dumps, one simulation; each TLC a child JVM
     * with one worker), the tests waiting for the one they need: on two cores the class takes
     * about 35 s (one after the other: about 50 s).
     */
    @BeforeAll
    static void setUp() throws Exception {
        repo = Repo.locate();
        work = Files.createDirectories(repo.reports().resolve("agreement"));
        graphFuture("CoopRingTSO.cfg");
        graphFuture("CoopRingTSONoWmb.cfg");
        GRAPHS.put(NO_PUBLISH_MB, CompletableFuture.supplyAsync(() -> unchecked(
                RingTsoAgreementTest::noPublishMbGraph), POOL));
        simulations = CompletableFuture.supplyAsync(() -> unchecked(
                () -> SpecRuns.simulate(SPEC, "CoopRingTSO.cfg", 40, 200)), POOL);
    }

    static final ExecutorService POOL = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "tlc-run");
        t.setDaemon(true);
        return t;
    });

    interface Run<T> {
        T call() throws Exception;
    }

    static <T> T unchecked(Run<T> r) {
        try {
            return r.call();
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    static CompletableFuture<StateGraph> graphFuture(String cfgName) {
        return GRAPHS.computeIfAbsent(cfgName, k -> CompletableFuture.supplyAsync(
                () -> unchecked(() -> SpecRuns.graph(SPEC, k)), POOL));
    }

    /**
     * A bound of this test's own: CoopRingTSO.cfg without the two publish full barriers and
     * with one request (cheap: about 1,100 states), no invariant (with two requests
     * SleeperHasWakeup fails: that is what those barriers are for). It is the one bound of
     * these where an IPI waits in a store buffer behind earlier stores
     * (SendIpiToIopm's first branch, the flush of an IPI): with the publish mb present the
     * buffer is empty when the IPI is sent, so neither committed config reaches that.
     */
    static final String NO_PUBLISH_MB = "CoopRingTSONoPublishMb";

    static Set<Fence> noPublishMbFences() throws Exception {
        Set<Fence> f = EnumSet.copyOf(configOf("CoopRingTSO.cfg").fences());
        f.remove(Fence.VMM_PUBLISH_MB);
        f.remove(Fence.IOPM_PUBLISH_MB);
        return f;
    }

    static TsoConfig noPublishMbConfig() throws Exception {
        TsoConfig c = configOf("CoopRingTSO.cfg");
        return new TsoConfig(c.n(), c.idxMod(), 1, c.bufDepth(), noPublishMbFences());
    }

    static StateGraph noPublishMbGraph() throws Exception {
        TsoConfig c = noPublishMbConfig();
        Path dir = Files.createDirectories(work.resolve(NO_PUBLISH_MB));
        Files.copy(repo.specs().resolve(SPEC + ".tla"), dir.resolve(SPEC + ".tla"),
                StandardCopyOption.REPLACE_EXISTING);
        String fences = c.fences().stream().map(f -> "\"" + f.tla() + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
        Files.writeString(dir.resolve(SPEC + ".cfg"), "\\* written by RingTsoAgreementTest: "
                + "CoopRingTSO.cfg's bound, one request, without VmmPublishMb and IopmPublishMb, no invariant\n"
                + "CONSTANTS\n    N = " + c.n() + "\n    IdxMod = " + c.idxMod() + "\n    MaxReq = "
                + c.maxReq() + "\n    BufDepth = " + c.bufDepth() + "\n    Fences = " + fences
                + "\nSPECIFICATION Spec\n");
        Path dot = dir.resolve("graph.dot");
        TlcResult r = new TlcRunner(repo.specs(), 1, 600).check(dir.resolve(SPEC + ".tla"),
                dir.resolve(SPEC + ".cfg"), dir.resolve("tlc.out"), List.of("-dump", "dot,actionlabels", dot.toString()));
        assertEquals(TlcResult.Verdict.HOLDS, r.verdict(), "TLC on " + NO_PUBLISH_MB + ": " + r.message());
        return StateGraph.readDot(dot);
    }

    /** TLC's whole reachable graph for a config, dumped once for the class. */
    static StateGraph graph(String cfgName) throws Exception {
        return await(graphFuture(cfgName));
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (c instanceof Exception x) throw x;
            if (c instanceof Error x) throw x;
            throw e;
        }
    }

    private static final Pattern FENCES = Pattern.compile("\\bFences\\s*=\\s*(\\{[^}]*\\})");

    /** The constants of a CoopRingTSO config; Fences is a set over several lines, read here. */
    static TsoConfig configOf(String cfgName) throws Exception {
        Path cfg = repo.specs().resolve(cfgName);
        Map<String, String> c = CfgConstants.read(cfg);
        String text = Files.readString(cfg).replaceAll("\\\\\\*[^\\n]*", "");
        Matcher m = FENCES.matcher(text);
        if (!m.find()) throw new IllegalArgumentException(cfgName + ": no Fences = {...}");
        Set<Fence> fences = EnumSet.noneOf(Fence.class);
        for (Object f : (Set<?>) TlaValues.parse(m.group(1))) fences.add(Fence.fromTla((String) f));
        return new TsoConfig(Integer.parseInt(c.get("N")), Long.parseLong(c.get("IdxMod")),
                Integer.parseInt(c.get("MaxReq")), Integer.parseInt(c.get("BufDepth")), fences);
    }

    static Agreement.Report agree(String cfgName, Tso model, String tag) throws Exception {
        return agree(cfgName, graph(cfgName), model, tag);
    }

    static Agreement.Report agree(String cfgName, StateGraph g, Tso model, String tag) throws Exception {
        Agreement.Report rep = Agreement.compare(g, new RingTsoSpecModel(model), 20);
        Files.writeString(work.resolve(cfgName.replace(".cfg", "") + "-" + tag + ".txt"),
                "states " + rep.states() + ", transitions " + rep.transitions() + "\n"
                        + String.join("\n", rep.divergences().stream().map(Object::toString).toList()) + "\n");
        return rep;
    }

    static void assertAgrees(String cfgName) throws Exception {
        TsoConfig cfg = configOf(cfgName);
        Agreement.Report rep = agree(cfgName, new Tso(cfg), "Tso");
        System.out.printf("%s agreement: %d states, %d transitions, %d divergences (Fences: %d of 10)%n",
                cfgName, rep.states(), rep.transitions(), rep.divergences().size(), cfg.fences().size());
        assertTrue(rep.states() > 1000, "the graph is the whole reachable space, not a stub");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
        // the model's own invariants hold on every state TLC reached (TLC checked the spec's)
        TsoInvariants inv = new TsoInvariants(cfg);
        RingTsoSpecModel model = new RingTsoSpecModel(new Tso(cfg));
        for (Map<String, Object> s : graph(cfgName).states().values())
            assertNull(inv.violated(model.fromTla(s)), () -> "invariant broken in " + s);
    }

    @Test
    void modelAgreesWithSpecOnEveryReachableState() throws Exception {
        assertAgrees("CoopRingTSO.cfg");
    }

    @Test
    void modelAgreesWithSpecWithoutTheWriteBarriers() throws Exception {
        TsoConfig cfg = configOf("CoopRingTSONoWmb.cfg");
        assertFalse(cfg.has(Fence.VMM_PUBLISH_WMB) || cfg.has(Fence.IOPM_CONSUME_WMB),
                "the config leaves barriers out");
        assertAgrees("CoopRingTSONoWmb.cfg");
    }

    /** Covers the IPI store that queues behind buffered stores, and its flush. */
    @Test
    void modelAgreesWithSpecWithoutThePublishFullBarriers() throws Exception {
        TsoConfig cfg = noPublishMbConfig();
        StateGraph g = graph(NO_PUBLISH_MB);
        Agreement.Report rep = agree(NO_PUBLISH_MB, g, new Tso(cfg), "Tso");
        RingTsoSpecModel model = new RingTsoSpecModel(new Tso(cfg));
        long queuedIpi = g.states().values().stream().map(model::fromTla)
                .filter(s -> s.vBuf().stream().anyMatch(e -> e.addr() == Addr.IPI_TO_IOPM)
                        || s.iBuf().stream().anyMatch(e -> e.addr() == Addr.IPI_TO_VMM)).count();
        System.out.printf("%s agreement: %d states (%d with an IPI in a store buffer), %d transitions, "
                + "%d divergences%n", NO_PUBLISH_MB, rep.states(), queuedIpi, rep.transitions(), rep.divergences().size());
        assertTrue(queuedIpi > 0, "the bound reaches an IPI queued behind buffered stores");
        assertTrue(rep.agrees(), () -> "divergences:\n" + String.join("\n",
                rep.divergences().stream().map(Object::toString).toList()));
    }

    /**
     * A full barrier that does not wait for the empty buffer, each of the four: the model takes
     * the barrier's step where TLC cannot (extra transitions, nothing missing).
     */
    @Test
    void agreementCheckRejectsAFenceThatDoesNotWait() throws Exception {
        TsoConfig cfg = configOf("CoopRingTSO.cfg");
        Map<Fence, String> stepOf = Map.of(Fence.VMM_PUBLISH_MB, "VmmPublishNotify",
                Fence.IOPM_PUBLISH_MB, "IopmPublishNotify", Fence.VMM_SLEEP_MB, "VmmFinalCheck",
                Fence.IOPM_SLEEP_MB, "IopmFinalCheck");
        for (var e : stepOf.entrySet()) {
            Agreement.Report rep = agree("CoopRingTSO.cfg", new AlteredTso.FenceThatDoesNotWait(cfg, e.getKey()),
                    "NoWait" + e.getKey().tla());
            assertFalse(rep.agrees(), e.getKey().tla() + " that does not wait must show as a divergence");
            for (Agreement.Divergence d : rep.divergences()) {
                assertEquals("extra", d.kind(), d.toString());
                assertEquals(e.getValue(), d.action(), d.toString());
            }
            Agreement.Divergence first = rep.divergences().get(0);
            TsoState from = (TsoState) first.state();
            assertFalse((e.getValue().startsWith("Vmm") ? from.vBuf() : from.iBuf()).isEmpty(),
                    "taken with stores still buffered: " + first);
            if (e.getKey() == Fence.VMM_PUBLISH_MB)
                System.out.println("fence that does not wait (VmmPublishMb), first divergence: " + first);
        }
    }

    /**
     * A VMM without store forwarding in vmm_consume_response: it frees the slot from the
     * rsp_cons in memory, not from its own newer one still in its buffer. After two responses
     * consumed before the first store left the buffer, rsp_cons goes back.
     */
    static final class NoForwardingConsume extends Tso {
        NoForwardingConsume(TsoConfig c) {
            super(c);
        }

        @Override
        public Optional<TsoState> vmmConsumeResponse(TsoState s) {
            return super.vmmConsumeResponse(s).map(n -> {
                var b = n.with();
                b.vBuf = coopvmm.model.Seqs.append(s.vBuf(), new TsoState.Store(Addr.RSP_CONS,
                        config().inc(s.mem(Addr.RSP_CONS))));
                return b.build();
            });
        }
    }

    @Test
    void agreementCheckRejectsAConsumerWithoutStoreForwarding() throws Exception {
        Agreement.Report rep = agree("CoopRingTSO.cfg", new NoForwardingConsume(configOf("CoopRingTSO.cfg")),
                "NoForwardingConsume");
        assertFalse(rep.agrees(), "a load that skips its own buffer must show as a divergence");
        assertTrue(rep.divergences().stream().allMatch(d -> d.action().equals("VmmConsumeResponse")),
                () -> rep.divergences().toString());
        assertTrue(rep.divergences().stream().anyMatch(d -> d.kind().equals("missing")));
        System.out.println("no store forwarding, first divergence: " + rep.divergences().get(0));
    }

    /** A VMM that never notifies: its publish's IPI is never sent. */
    static final class SilentPublishTso extends Tso {
        SilentPublishTso(TsoConfig c) {
            super(c);
        }

        @Override
        public Optional<TsoState> vmmSendIpi(TsoState s) {
            return super.vmmSendIpi(s).map(n -> {
                var b = n.with();
                b.ipiIopm = s.ipiIopm();
                b.vBuf = s.vBuf();
                return b.build();
            });
        }
    }

    @Test
    void simulationsReplayThroughTheModelAndNotThroughAnAlteredOne() throws Exception {
        List<List<Map<String, Object>>> behaviours = await(simulations);
        assertTrue(behaviours.size() >= 20, "TLC wrote the behaviours: " + behaviours.size());
        TsoConfig cfg = configOf("CoopRingTSO.cfg");
        RingTsoSpecModel model = new RingTsoSpecModel(new Tso(cfg));
        RingTsoSpecModel silent = new RingTsoSpecModel(new SilentPublishTso(cfg));
        int steps = 0, rejects = 0;
        for (int i = 0; i < behaviours.size(); i++) {
            List<Map<String, Object>> beh = behaviours.get(i);
            steps += beh.size();
            assertEquals(0, Agreement.replay(beh, model), "behaviour " + i + " diverges at state");
            if (Agreement.replay(beh, silent) > 0) rejects++;
        }
        System.out.printf("replayed %d simulated CoopRingTSO behaviours, %d states; a VMM that "
                + "never notifies rejected %d%n", behaviours.size(), steps, rejects);
        assertTrue(steps > behaviours.size() * 10, "behaviours are long");
        assertTrue(rejects > 0, "a model that never notifies must fail some replay");
    }
}
