package coopvmm.conformance.cli;

import coopvmm.conformance.GuestRuns;
import coopvmm.conformance.Repo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop conform --lock-free}: the reference VMM without its trace lock, each CPU's
 * steps in its own v2 log, under multi-threaded TCG. Its ring, boot and routing runs conform (the
 * order rebuilt from the values read, the ring, the boot and the routing replayed in it, each
 * projection validated by TLC) at 1, 2 and 3 IOPMs, and a buggy ring, boot or routing built the
 * same way is rejected with the record that diverges.
 */
class LockFreeConformTest {

    @BeforeAll
    static void needQemu() {
        GuestRuns.qemu();
    }

    @Test
    void theLockFreeRingConformsAtEveryIopmCount() throws Exception {
        CliRunner.Result r = conforms("--scenario", "ring,ring-sleep,ring-burst",
                "--smp", "2,3,4", "--requests", "200");
        assertEquals(3, r.out().lines().filter(l -> l.endsWith("conforms")).count(), r::toString);
        assertEquals(3, r.out().lines().filter(l -> l.contains("rebuilt, sequentially consistent")).count(), r::toString);
        assertTrue(r.out().contains("on 2 CPUs") && r.out().contains("on 3 CPUs") && r.out().contains("on 4 CPUs"), r::toString);
        assertTrue(!r.out().contains("not checked"), "the ring runs have nothing unchecked: " + r);
        // TLC validated each rebuilt order: a figure in the TLA ev/s column, not "-"
        assertEquals(3, r.out().lines().filter(l -> l.matches("ring\\S*\\s+\\d\\s+\\d+\\s+\\d\\s+\\d+\\s+\\d+\\s+[\\d.]+\\s+\\d+\\s+\\d+\\s+\\d+\\s+conforms"))
                .count(), r::toString);
        twoCursorCrossCheckAcceptedItAndRejectsAWrongRead(r);
    }

    /**
     * TLC's two-cursor cross-check of a channel (RingTwoCursorSpec) accepted the ring run's
     * logs, and rejects them when one read of the IOPM is made to see an id its slot never
     * held, naming that record.
     */
    private static void twoCursorCrossCheckAcceptedItAndRejectsAWrongRead(CliRunner.Result r) throws Exception {
        Path run = keptRun(r, "ring-smp");
        assertTrue(java.nio.file.Files.readString(run.resolve("tla/TwoCursorCoopRing0.out")).contains("TRACE_ACCEPTED"));

        java.util.List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(run.resolve("trace.log")));
        java.util.regex.Pattern slotRead = java.util.regex.Pattern.compile(" iopm\\.consume .* r:req\\.(\\d+)\\.id=(\\d+)");
        int at = -1;
        for (int i = lines.size() / 2; i < lines.size() && at < 0; i++) if (slotRead.matcher(lines.get(i)).find()) at = i;
        assertTrue(at >= 0, "an IOPM consume to corrupt");
        java.util.regex.Matcher m = slotRead.matcher(lines.get(at));
        assertTrue(m.find());
        lines.set(at, lines.get(at).replace("r:req." + m.group(1) + ".id=" + m.group(2),
                "r:req." + m.group(1) + ".id=" + (Long.parseLong(m.group(2)) + 1)));
        Path bad = java.nio.file.Files.write(run.resolve("corrupted.log"), lines);
        var logs = coopvmm.conformance.order.PerCpuTraceReader.read(bad);
        java.util.List<coopvmm.conformance.order.V2Event> records = new java.util.ArrayList<>();
        for (int c = 0; c < logs.cpuCount(); c++) records.addAll(logs.events(c));
        var v = new coopvmm.conformance.trace.TlaTraceValidation(Repo.locate().specs(), 300)
                .crossCheck(coopvmm.conformance.trace.RingTwoCursorSpec.sides(records, 0), 0, 16, run.resolve("tla-bad"));
        assertTrue(!v.accepted(), v::toString);
        assertTrue(v.reason().contains("corrupted.log:" + (at + 1)), v.reason());
    }

    /**
     * The boot is ordered by the two boot counters of its records (a VMM AP's, boot-vmm's, by
     * its own pair), and checked by the boot model and TLC.
     */
    @Test
    void theLockFreeBootConformsAndABootMutantIsRejected() throws Exception {
        CliRunner.Result r = conforms("--scenario", "boot,boot-slow,boot-vmm", "--smp", "3",
                "--requests", "100");
        assertTrue(r.out().contains("BootHandoff actions covered:") && r.out().contains("VmmRetry=1")
                && r.out().contains("IopmSignalReady=5") && r.out().contains("ApEnterVmm=1 "), r::toString);

        rejected("ready-before-setup", "boot", "boot model: first divergent event: boot.iopm_signal_ready",
                "IopmSignalReady(1) enabled; it is not in this state");
        replayOfAVmmApsLogsConformsAndACorruptedCopyDoesNot(r);
    }

    /** ./coop replay reads a v2 trace as conform --lock-free does: boot-vmm's logs conform; a VMM AP's entry renamed into the IOPM's does not. */
    private static void replayOfAVmmApsLogsConformsAndACorruptedCopyDoesNot(CliRunner.Result r) throws Exception {
        Path log = keptRun(r, "boot-vmm-smp3").resolve("trace.log");
        CliRunner.Result good = CliRunner.run("replay", "--no-tla", log.toString());
        assertEquals(0, good.exit(), good::toString);
        assertTrue(good.out().contains("conforms") && good.out().contains("rebuilt, sequentially consistent"), good::toString);
        String text = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(" boot.ap_enter_vmm vmm_ap=0"), "the VMM AP's entry is in its log");
        Path bad = log.resolveSibling("corrupted-vmm-ap.log");
        java.nio.file.Files.writeString(bad, text.replace(" boot.ap_enter_vmm vmm_ap=0", " boot.ap_enter_iopm vmm_ap=0"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        CliRunner.Result no = CliRunner.run("replay", "--no-tla", bad.toString());
        assertEquals(1, no.exit(), no::toString);
        assertTrue(no.out().contains("boot model: first divergent event: boot.ap_enter_iopm"), no::toString);
    }

    /**
     * The routing steps are ordered by the routing words their records carry, and checked by
     * the routing model and TLC; a failover that loses the failed IOPM's pending interrupts,
     * built the same way, is rejected at the failover.
     */
    @Test
    void theLockFreeRoutingConformsAndARoutingMutantIsRejected() throws Exception {
        CliRunner.Result r = conforms("--scenario", "irq-failover", "--smp", "3",
                "--requests", "200");
        assertTrue(r.out().contains("IrqRouting actions covered:") && r.out().contains("VmmDetectFailure=1")
                && r.out().contains("IopmStop=1") && !r.out().contains("routing steps are not checked"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("irq-failover\\s+3\\s+\\d+\\s+2\\s+\\d+\\s+\\d+\\s+[\\d.]+\\s+\\d+\\s+\\d+\\s+\\d+\\s+conforms")),
                "TLC validated it (a TLA ev/s figure): " + r);

        rejected("lose-pending", "irq-failover", "routing model: first divergent event: vmm.detect_failure",
                "trace says redelivered=0");
    }

    /**
     * The management ring's records carry its words as the I/O ring's do: its steps, and the
     * guest I/O with the console's commands, are ordered and checked; a VMM that stops a VM in
     * the middle of its exit, built the same way, is rejected at that command.
     */
    @Test
    void theLockFreeManagementRingConformsAndAnAdminMutantIsRejected() throws Exception {
        CliRunner.Result r = conforms("--scenario", "vm-admin", "--smp", "3");
        assertTrue(r.out().contains("MgmtRing actions covered:") && r.out().contains("VmmTakeCommand=6")
                && r.out().contains("VmmCarryOutCommand=6") && !r.out().contains("not checked"), r::toString);
        rejected("admin-stop-during-exit", "vm-admin", "guest I/O model: first divergent event: vmm.carry_out_command",
                "its exit is in flight, and the command must wait for it");
    }

    @Test
    void theSoakTakesTheLockFreeBuildToo() {
        CliRunner.Result r = CliRunner.run("soak", "--lock-free", "--runs", "1", "--scenario", "ring-sleep", "--smp", "2",
                "--no-tla");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("1 passed, 0 failed") && r.out().contains("coopvmm-lockfree"), r::toString);
    }

    /** {@code ./coop conform --lock-free <args>} exits 0 (its output printed). */
    /** The folder of the run whose name starts with {@code prefix}, in the sweep folder {@code r} printed. */
    private static Path keptRun(CliRunner.Result r, String prefix) throws Exception {
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile("runs kept in (\\S+)").matcher(r.out());
        assertTrue(kept.find(), r::toString);
        try (var dirs = java.nio.file.Files.list(Repo.locate().root().resolve(kept.group(1)))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    private static CliRunner.Result conforms(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "conform";
        all[1] = "--lock-free";
        System.arraycopy(args, 0, all, 2, args.length);
        CliRunner.Result r = CliRunner.run(all);
        System.out.println(r.out());
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    /** {@code make TRACE=v2 MUTANT=<mutant>} run in {@code scenario} at smp 3 fails, its output saying each of {@code says}. */
    private static void rejected(String mutant, String scenario, String... says) throws Exception {
        Path img = ConformCommand.build(Repo.locate(), mutant, true);
        assertNotNull(img, "make TRACE=v2 MUTANT=" + mutant);
        CliRunner.Result bad = CliRunner.run("conform", "--image", img.toString(), "--scenario", scenario, "--smp", "3",
                "--requests", "200", "--timeout", "15", "--append", "watchdog=10", "--no-tla");
        System.out.println(bad.out());
        assertEquals(1, bad.exit(), bad::toString);
        for (String w : says) assertTrue(bad.out().contains(w), () -> "says " + w + ": " + bad);
    }

    @Test
    void aLockFreeMutantIsRejectedWithItsDivergentRecord() throws Exception {
        rejected("double-response", "ring-sleep", "replay: iopm.write_response", "IopmWriteResponse enabled");
    }
}
