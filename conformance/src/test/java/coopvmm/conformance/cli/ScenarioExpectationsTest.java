package coopvmm.conformance.cli;

import coopvmm.conformance.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scenario expectations reject traces that conform but did not do what their scenario is
 * for (a ring never full, a side that never slept, too few clock ticks, a silent IOPM), and
 * accept the same traces once the events are there.
 */
class ScenarioExpectationsTest {

    @TempDir
    Path dir;

    private int seq;

    private Trace trace(String scenario, int iopms, List<String> events) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# coop-trace v=1 build=ref cpus=" + (iopms + 1) + " iopms=" + iopms
                + " ring_slots=16 slot_size=64 scenario=" + scenario + " seed=1");
        seq = 0;
        for (String e : events) lines.add((seq++) + " 0 " + (1000 + seq) + " " + e);
        Path f = dir.resolve(scenario + "-" + System.nanoTime() + ".log");
        Files.write(f, lines);
        return Trace.read(f);
    }

    /** k requests written and consumed one at a time, each answered at once: no ring ever full. */
    private static List<String> lockstep(int k, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("vmm.write_request iopm=" + k + " id=" + i + " pvt=" + i);
            out.add("iopm.consume iopm=" + k + " id=" + i + " cons=" + i);
            out.add("iopm.write_response iopm=" + k + " id=" + i + " pvt=" + i);
            out.add("vmm.consume_response iopm=" + k + " id=" + i + " cons=" + i);
        }
        return out;
    }

    /** 16 requests written before any is consumed, 16 answers before any is consumed: both rings full. */
    private static List<String> burst(int k) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 16; i++) out.add("vmm.write_request iopm=" + k + " id=" + i + " pvt=" + i);
        for (int i = 1; i <= 16; i++) out.add("iopm.consume iopm=" + k + " id=" + i + " cons=" + i);
        for (int i = 1; i <= 16; i++) out.add("iopm.write_response iopm=" + k + " id=" + i + " pvt=" + i);
        for (int i = 1; i <= 16; i++) out.add("vmm.consume_response iopm=" + k + " id=" + i + " cons=" + i);
        return out;
    }

    @Test
    void aRingBurstThatNeverFillsTheResponseRingIsRejected() throws IOException {
        List<String> ev = new ArrayList<>();
        for (int i = 1; i <= 16; i++) ev.add("vmm.write_request iopm=0 id=" + i + " pvt=" + i);
        for (int i = 1; i <= 16; i++) {
            ev.add("iopm.consume iopm=0 id=" + i + " cons=" + i);
            ev.add("iopm.write_response iopm=0 id=" + i + " pvt=" + i);
            ev.add("vmm.consume_response iopm=0 id=" + i + " cons=" + i);
        }
        List<String> missing = ScenarioExpectations.missing("ring-burst", trace("ring-burst", 1, ev));
        assertEquals(List.of("full response ring on channel 0"), missing);
        assertEquals(List.of("full request ring on channel 0", "full response ring on channel 0"),
                ScenarioExpectations.missing("ring-burst", trace("ring-burst", 1, lockstep(0, 20))));
    }

    @Test
    void aRingBurstThatFillsBothRingsOnEveryChannelPasses() throws IOException {
        List<String> ev = new ArrayList<>(burst(0));
        ev.addAll(burst(1));
        assertEquals(List.of(), ScenarioExpectations.missing("ring-burst", trace("ring-burst", 2, ev)));
        // the second channel never full: named
        List<String> half = new ArrayList<>(burst(0));
        half.addAll(lockstep(1, 3));
        assertEquals(List.of("full request ring on channel 1", "full response ring on channel 1"),
                ScenarioExpectations.missing("ring-burst", trace("ring-burst", 2, half)));
    }

    @Test
    void aRingSleepInWhichOneSideNeverSleptIsRejected() throws IOException {
        List<String> ev = new ArrayList<>(lockstep(0, 2));
        ev.add("iopm.prepare_sleep iopm=0 event=3");
        ev.add("iopm.final_check iopm=0 sleep=1");
        ev.add("vmm.prepare_sleep iopm=0 event=3");
        ev.add("vmm.final_check iopm=0 sleep=0");
        assertEquals(List.of("VMM asleep on channel 0"),
                ScenarioExpectations.missing("ring-sleep", trace("ring-sleep", 1, ev)));
        ev.add("vmm.prepare_sleep iopm=0 event=3");
        ev.add("vmm.final_check iopm=0 sleep=1");
        assertEquals(List.of(), ScenarioExpectations.missing("ring-sleep", trace("ring-sleep", 1, ev)));
    }

    private static List<String> irqBase(int iopms) {
        List<String> ev = new ArrayList<>();
        for (int k = 0; k < iopms; k++) ev.add("boot.vmm_see_ready iopm=" + k);
        ev.add("irq.device_raise dev=1");
        ev.add("vmm.accept dev=1 n=1");
        ev.add("vmm.route dev=1 n=1 iopm=0");
        ev.add("iopm.take iopm=0 dev=1 n=1");
        ev.add("iopm.handle iopm=0 dev=1 n=1");
        return ev;
    }

    @Test
    void bootVmmWantsItsVmmApInTheVmm() throws IOException {
        List<String> ev = new ArrayList<>(List.of("boot.vmm_see_started vmm_ap=0", "boot.vmm_see_ready iopm=0",
                "boot.vmm_queue_work iopm=0"));
        List<String> missing = ScenarioExpectations.missing("boot-vmm", trace("boot-vmm", 1, ev));
        assertTrue(missing.toString().contains("boot.ap_enter_vmm"), missing::toString);
        ev.add(1, "boot.ap_enter_vmm vmm_ap=0");
        assertEquals(List.of(), ScenarioExpectations.missing("boot-vmm", trace("boot-vmm", 1, ev)));
    }

    @Test
    void anEventWithoutTheFieldACheckReadsIsNamedNotThrown() throws IOException {
        List<String> ev = irqBase(2);
        ev.add("iopm.tick");                       // no iopm=
        List<String> missing = ScenarioExpectations.missing("irq", trace("irq", 2, ev));
        assertTrue(missing.stream().anyMatch(m -> m.startsWith("well-formed events (line ") && m.contains("iopm.tick")),
                missing::toString);
    }

    @Test
    void anIrqRunThatEndsBeforeItsClockTicksIsRejected() throws IOException {
        List<String> ev = irqBase(2);
        ev.add("irq.clock_tick");
        ev.add("iopm.tick iopm=0");
        List<String> missing = ScenarioExpectations.missing("irq", trace("irq", 2, ev));
        assertEquals(List.of("2 irq.clock_tick (1 seen)", "iopm.tick from IOPM 1"), missing);
        ev.add("irq.clock_tick");
        ev.add("iopm.tick iopm=1");
        assertEquals(List.of(), ScenarioExpectations.missing("irq", trace("irq", 2, ev)));
    }

    @Test
    void aFailoverRunExemptsTheFailedIopmFromTickingAndNeedsItsFailover() throws IOException {
        List<String> ev = irqBase(2);
        ev.add("irq.clock_tick");
        ev.add("iopm.tick iopm=1");
        ev.add("irq.clock_tick");
        assertEquals(List.of("iopm.tick from IOPM 0", "iopm.stop", "vmm.detect_failure"),
                ScenarioExpectations.missing("irq-failover", trace("irq-failover", 2, ev)));
        ev.add("iopm.stop iopm=0");
        ev.add("vmm.detect_failure iopm=0 redelivered=0 requeued=0 to=1");
        assertEquals(List.of(), ScenarioExpectations.missing("irq-failover", trace("irq-failover", 2, ev)));
        assertTrue(ScenarioExpectations.missing("irq-failover", trace("irq-failover", 1, irqBase(1))).stream()
                .noneMatch(m -> m.contains("detect_failure")), "one IOPM: nothing to fail over to");
    }

    private Trace raw(String scenario, int iopms, List<String> lines) throws IOException {
        List<String> all = new ArrayList<>();
        all.add("# coop-trace v=1 build=ref cpus=" + (iopms + 1) + " iopms=" + iopms
                + " ring_slots=16 slot_size=64 scenario=" + scenario + " seed=1");
        int n = 0;
        for (String l : lines) all.add(l.startsWith("#") ? l : (n++) + " 0 " + (1000 + n) + " " + l);
        Path f = dir.resolve(scenario + "-" + System.nanoTime() + ".log");
        Files.write(f, all);
        return Trace.read(f);
    }

    /** vCPU v's exit k (1-based) through IOPM i, served and completed, then the resume. */
    private static List<String> exit(int v, int k, int i) {
        int rip = 256 + 2 * (k - 1), in = (k - 1) % 5 == 2 || (k - 1) % 5 == 4 ? 1 : 0;   // STATUS, DATA in
        return List.of("vmm.capture_exit vcpu=" + v + " rip=" + rip + " port=0 dir=" + in + " data=" + (1 - in),
                "vmm.submit_exit vcpu=" + v + " rip=" + rip + " iopm=" + i,
                "iopm.serve iopm=" + i + " vcpu=" + v + " rip=" + rip + " result=0",
                "vmm.complete_exit iopm=" + i + " vcpu=" + v + " rip=" + rip + " result=0",
                "vmm.resume_guest vcpu=" + v + " rip=" + (rip + 2) + " al=1");
    }

    @Test
    void vmIoWantsEveryExitThroughTheRings() throws IOException {
        List<String> l = new ArrayList<>(List.of("# guestio vcpus=1 devices=1 insns=2 max_fail=0"));
        l.addAll(exit(0, 1, 0));
        l.addAll(exit(0, 2, 0));
        l.add("guest.check vcpu=0 al=1 pass=1");
        assertEquals(List.of(), ScenarioExpectations.missing("vm-io", raw("vm-io", 1, l)));
        List<String> noServe = l.stream().filter(x -> !x.startsWith("iopm.serve")).toList();
        assertEquals(List.of("2 iopm.serve (0 seen)", "iopm.serve from IOPM 0"),
                ScenarioExpectations.missing("vm-io", raw("vm-io", 1, noServe)));
        List<String> failedCheck = new ArrayList<>(l);
        failedCheck.set(l.size() - 1, "guest.check vcpu=0 al=0 pass=0");
        assertEquals(List.of("guest.check vcpu=0 pass=1 (the guest's own check of its data)"),
                ScenarioExpectations.missing("vm-io", raw("vm-io", 1, failedCheck)));
        assertEquals(List.of("a '# guestio' constants line (the VMM ran no guest)"),
                ScenarioExpectations.missing("vm-io", raw("vm-io", 1, l.subList(1, l.size()))));
    }

    @Test
    void vmRogueWantsEveryRogueStoppedAndVcpuZeroDone() throws IOException {
        List<String> l = new ArrayList<>(List.of("# guestio vcpus=2 devices=1 insns=2 max_fail=0"));
        l.addAll(exit(0, 1, 0));
        l.addAll(exit(0, 2, 0));
        l.add("guest.check vcpu=0 al=1 pass=1");
        l.add("vmm.stop_guest vcpu=1 exit_code=19 rip=256");
        assertEquals(List.of(), ScenarioExpectations.missing("vm-rogue", raw("vm-rogue", 1, l)));
        assertEquals(List.of("vmm.stop_guest of vcpu=1"),
                ScenarioExpectations.missing("vm-rogue", raw("vm-rogue", 1, l.subList(0, l.size() - 1))));
        List<String> short0 = new ArrayList<>(l);
        short0.removeAll(exit(0, 2, 0));
        assertEquals(List.of("2 vmm.complete_exit of vcpu=0 (1 seen)"),
                ScenarioExpectations.missing("vm-rogue", raw("vm-rogue", 1, short0)));
    }

    @Test
    void vmFailoverWantsADisksDataReadBackAcrossTheFailover() throws IOException {
        // vCPU 0's SEL and DATA out served by IOPM 0, which fails; its STATUS in, re-issued to IOPM 1,
        // reads the completion back
        List<String> l = new ArrayList<>(List.of("# guestio vcpus=1 devices=1 insns=3 max_fail=1"));
        l.addAll(exit(0, 1, 0));
        l.addAll(exit(0, 2, 0));
        l.add("iopm.fail iopm=0");
        l.add("vmm.failover iopm=0 to=1 reissued=1");
        l.addAll(exit(0, 3, 1));
        l.add("guest.check vcpu=0 al=1 pass=1");
        List<String> m = ScenarioExpectations.missing("vm-failover", raw("vm-failover", 2, l));
        assertTrue(m.stream().noneMatch(x -> x.contains("failover") || x.contains("iopm.fail") || x.contains("guest.check")), m::toString);

        List<String> failedCheck = new ArrayList<>(l);
        failedCheck.set(l.size() - 1, "guest.check vcpu=0 al=0 pass=0");
        assertTrue(ScenarioExpectations.missing("vm-failover", raw("vm-failover", 2, failedCheck))
                .contains("guest.check pass=1 of the vCPUs whose sectors crossed the failover [0]"));

        List<String> before = new ArrayList<>(List.of(l.get(0)));    // all served before the failover: nothing crossed it
        for (int k = 1; k <= 3; k++) before.addAll(exit(0, k, 0));
        before.add("iopm.fail iopm=0");
        before.add("vmm.failover iopm=0 to=1 reissued=0");
        before.add("guest.check vcpu=0 al=1 pass=1");
        assertTrue(ScenarioExpectations.missing("vm-failover", raw("vm-failover", 2, before))
                .contains("an IN served after the vmm.failover that reads a register or a sector the failed IOPM wrote"));
    }


    @Test
    void vmAdminWantsTheScriptCarriedOutTheEarlyStartRefusedAndTheStopToWaitForTheExit() throws IOException {
        // vCPU 0 does its I/O; vCPU 1, the managed VM: started too early (refused), created,
        // started, its first exit in flight when the stop comes, stopped once it completed,
        // started, destroyed
        List<String> l = new ArrayList<>(List.of("# guestio vcpus=2 devices=1 insns=2 max_fail=0 admin=1"));
        l.addAll(exit(0, 1, 0));
        l.addAll(exit(0, 2, 0));
        l.add("guest.check vcpu=0 al=1 pass=1");
        int[][] before = {{1, 2, 0}, {2, 1, 1}, {3, 2, 1}};       // n, op, ok
        for (int[] c : before) command(l, c[0], c[1], c[2]);
        List<String> vmExit = exit(1, 1, 0);
        l.addAll(vmExit.subList(0, 2));
        l.add("iopm.issue_command iopm=0 n=4 op=3 vcpu=1");
        l.addAll(vmExit.subList(2, 5));
        l.add("vmm.carry_out_command iopm=0 n=4 op=3 vcpu=1 ok=1");
        l.add("iopm.take_answer iopm=0 n=4 ok=1");
        command(l, 5, 2, 1);
        l.add("mgmt.vmm.see_idle iopm=0");                       // the VMM asleep on the ring
        l.add("mgmt.vmm.prepare_sleep iopm=0 event=6");
        l.add("mgmt.vmm.final_check iopm=0 sleep=1");
        command(l, 6, 4, 1);
        l.add(l.size() - 2, "mgmt.vmm.wake iopm=0");             // the destroy's IPI
        assertEquals(List.of(), ScenarioExpectations.missing("vm-admin", raw("vm-admin", 1, l)));

        List<String> awake = new ArrayList<>(l);                  // the destroy sent before the VMM armed for it
        awake.replaceAll(x -> x.replace("prepare_sleep iopm=0 event=6", "prepare_sleep iopm=0 event=5"));
        assertEquals(List.of("mgmt.vmm.prepare_sleep event=6 (the VMM asleep on the management ring, armed for the destroy)"),
                ScenarioExpectations.missing("vm-admin", raw("vm-admin", 1, awake)));

        List<String> early = new ArrayList<>(l);                  // the stop carried out before the exit completed
        int stop = early.indexOf("vmm.carry_out_command iopm=0 n=4 op=3 vcpu=1 ok=1");
        early.add(early.indexOf("iopm.issue_command iopm=0 n=4 op=3 vcpu=1") + 1, early.remove(stop));
        assertEquals(List.of("a stop carried out after the exit it came during was completed"),
                ScenarioExpectations.missing("vm-admin", raw("vm-admin", 1, early)));

        List<String> noDestroy = l.subList(0, l.size() - 4);       // the destroy never sent
        assertEquals(List.of("vmm.carry_out_command op=4 (destroy) ok=1"),
                ScenarioExpectations.missing("vm-admin", raw("vm-admin", 1, noDestroy)));
        List<String> unanswered = l.subList(0, l.size() - 1);     // the destroy's answer not taken
        assertEquals(List.of("an iopm.take_answer for each iopm.issue_command (6 issued, 5 taken)"),
                ScenarioExpectations.missing("vm-admin", raw("vm-admin", 1, unanswered)));
        List<String> noRefusal = new ArrayList<>(l);               // the early start carried out
        noRefusal.replaceAll(x -> x.replace("n=1 op=2 vcpu=1 ok=0", "n=1 op=2 vcpu=1 ok=1").replace("n=1 ok=0", "n=1 ok=1"));
        assertEquals(List.of("vmm.carry_out_command ok=0 (the start before the create refused)"),
                ScenarioExpectations.missing("vm-admin", raw("vm-admin", 1, noRefusal)));
    }

    /** Command n of the console: issued, carried out (ok or not), its answer taken. */
    private static void command(List<String> l, int n, int op, int ok) {
        l.add("iopm.issue_command iopm=0 n=" + n + " op=" + op + " vcpu=1");
        l.add("vmm.carry_out_command iopm=0 n=" + n + " op=" + op + " vcpu=1 ok=" + ok);
        l.add("iopm.take_answer iopm=0 n=" + n + " ok=" + ok);
    }
}
