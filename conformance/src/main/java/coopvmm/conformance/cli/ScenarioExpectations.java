package coopvmm.conformance.cli;

import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.model.guestio.Dir;
import coopvmm.model.guestio.GuestIoConfig;
import coopvmm.model.guestio.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each scenario exists to exercise, as events its trace must contain: a run that
 * conforms without them tested nothing of what it is named for (a fault injection that did
 * not happen, a failover that never came, a ring never full), and is reported as a failure.
 * The reference VMM runs each scenario until these have happened (its goals,
 * reference-vmm/include/goal.h), so on a correct build they hold on any host.
 */
final class ScenarioExpectations {

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "ring-hostile", List.of("iopm.publish_bogus", "vmm.declare_iopm_broken"),
            "boot", List.of("boot.vmm_see_ready", "boot.vmm_queue_work"),
            "boot-rogue", List.of("boot.iopm_stray_write", "boot.vmm_see_fault", "boot.vmm_see_ready"),
            "boot-slow", List.of("boot.vmm_retry", "boot.vmm_see_ready"),
            "boot-dead", List.of("boot.vmm_give_up", "boot.vmm_see_ready"),
            "boot-vmm", List.of("boot.ap_enter_vmm", "boot.vmm_see_ready", "boot.vmm_queue_work"),
            "irq", List.of("vmm.route", "iopm.handle"),
            "irq-balance", List.of("iopm.handle"),
            "irq-failover", List.of("iopm.handle"),
            "irq-vmm-local", List.of("vmm.handle"));

    /** The clock ticks the irq scenarios must show (IRQ_GOAL_TICKS of the reference VMM). */
    static final int CLOCK_TICKS = 2;

    private ScenarioExpectations() {
    }

    /**
     * What the scenario should have produced and did not (empty: all there). An event without
     * a field the check reads is named as missing well-formed events, not thrown.
     */
    static List<String> missing(String scenario, Trace t) {
        List<String> out = new ArrayList<>();
        try {
            expect(scenario, t, out);
        } catch (coopvmm.conformance.trace.TraceFormatException x) {
            out.add("well-formed events (line " + x.line() + ": " + x.getMessage() + ")");
        }
        return out;
    }

    private static void expect(String scenario, Trace t, List<String> out) {
        for (String ev : REQUIRED.getOrDefault(scenario, List.of()))
            if (t.events().stream().noneMatch(e -> e.name().equals(ev))) out.add(ev);
        switch (scenario) {
            case "ring-burst" -> ringsFull(t, out);
            case "ring-sleep" -> bothSlept(t, out);
            case "irq", "irq-balance", "irq-failover", "irq-vmm-local" -> clock(scenario, t, out);
            case "vm-io" -> guestsDidIo(t, out);
            case "vm-rogue" -> roguesStopped(t, out);
            case "vm-admin" -> {
                guestsDidIo(t, out);
                consoleManagedItsVm(t, out);
            }
            case "vm-failover" -> {
                clock(scenario, t, out);
                guestsDidIo(t, out);
                guestIoAcrossFailover(t, out);
            }
            default -> {
            }
        }
    }

    /** Channels that served requests: each ring goal is per channel. */
    private static Set<Integer> channels(Trace t) {
        Set<Integer> out = new TreeSet<>();
        for (TraceEvent e : t.events())
            if (e.name().equals("vmm.write_request")) out.add((int) e.get("iopm"));
        return out;
    }

    /** ring-burst: on every channel the request ring full and the response ring full. */
    private static void ringsFull(Trace t, List<String> out) {
        int slots = t.ringSlots();
        Map<Integer, Long> reqCons = new HashMap<>(), rspCons = new HashMap<>();
        Set<Integer> reqFull = new TreeSet<>(), rspFull = new TreeSet<>();
        for (TraceEvent e : t.events()) {
            if (!e.has("iopm")) continue;
            int k = (int) e.get("iopm");
            switch (e.name()) {
                case "iopm.consume" -> reqCons.put(k, e.get("cons"));
                case "vmm.consume_response" -> rspCons.put(k, e.get("cons"));
                case "vmm.write_request" -> {
                    if (e.get("pvt") - reqCons.getOrDefault(k, 0L) == slots) reqFull.add(k);
                }
                case "iopm.write_response" -> {
                    if (e.get("pvt") - rspCons.getOrDefault(k, 0L) == slots) rspFull.add(k);
                }
                default -> {
                }
            }
        }
        for (int k : channels(t)) {
            if (!reqFull.contains(k)) out.add("full request ring on channel " + k);
            if (!rspFull.contains(k)) out.add("full response ring on channel " + k);
        }
    }

    /** ring-sleep: on every channel both sides went to sleep at least once. */
    private static void bothSlept(Trace t, List<String> out) {
        Set<Integer> vmm = new TreeSet<>(), iopm = new TreeSet<>();
        for (TraceEvent e : t.events()) {
            if (e.name().equals("vmm.final_check") && e.get("sleep") == 1) vmm.add((int) e.get("iopm"));
            if (e.name().equals("iopm.final_check") && e.get("sleep") == 1) iopm.add((int) e.get("iopm"));
        }
        for (int k : channels(t)) {
            if (!vmm.contains(k)) out.add("VMM asleep on channel " + k);
            if (!iopm.contains(k)) out.add("IOPM " + k + " asleep");
        }
    }

    /**
     * vm-io: real guests' I/O went through the rings: every instruction of every vCPU's
     * program exited and was completed, every IOPM that owns a device served its exits, and
     * each guest was re-entered after each completion (the replay checks the values).
     */
    private static void guestsDidIo(Trace t, List<String> out) {
        Map<String, String> c = t.comment("guestio");
        if (c == null) {
            out.add("a '# guestio' constants line (the VMM ran no guest)");
            return;
        }
        int vcpus = Trace.number(c, "vcpus"), insns = Trace.number(c, "insns"), devices = Trace.number(c, "devices");
        int admin = c.containsKey("admin") ? Trace.number(c, "admin") : 0;
        int plain = vcpus - admin;                     // the managed VMs are destroyed part-way
        long exits = (long) plain * insns;
        Map<String, Long> n = new HashMap<>();
        Set<Integer> served = new TreeSet<>();
        for (TraceEvent e : t.events()) {
            n.merge(e.name(), 1L, Long::sum);
            if (e.name().equals("iopm.serve")) served.add((int) e.get("iopm"));
        }
        for (String ev : List.of("vmm.capture_exit", "vmm.submit_exit", "iopm.serve", "vmm.complete_exit",
                "vmm.resume_guest")) {
            long got = n.getOrDefault(ev, 0L);
            if (got < exits) out.add(exits + " " + ev + " (" + got + " seen)");
        }
        // instruction k's device is GuestIo's Port(k), owned at first by IOPM (Port(k) - 1) % iopms
        Set<Integer> owners = new TreeSet<>();
        if (devices > 0 && vcpus > 0 && insns > 0 && t.iopms() > 0) {
            GuestIoConfig g = new GuestIoConfig(vcpus, t.iopms(), devices, insns, 0);
            for (int k = 1; k <= insns; k++) owners.add((g.port(k) - 1) % t.iopms());
        }
        for (int i : owners)
            if (!served.contains(i)) out.add("iopm.serve from IOPM " + i);
        Set<Integer> passed = checksPassed(t);
        for (int v = 0; v < plain; v++)
            if (!passed.contains(v)) out.add("guest.check vcpu=" + v + " pass=1 (the guest's own check of its data)");
    }

    /**
     * vm-admin: the console's script carried out on its VM while the others do I/O: the start
     * before the create refused (ok=0), each of create, start, stop and destroy carried out
     * (ok=1), every command answered, the VM did
     * I/O, and the stop waited for the VM's exit: it came while the exit was in flight (the
     * console issues it as it serves the VM's first exit), and the VMM carried it out only once
     * that exit was completed. And the VMM went to sleep on the management ring for the destroy:
     * the console issues it only once the VMM's event index is armed past every command before
     * it, so a mgmt.vmm.prepare_sleep with event= the destroy's number is in the trace (its see
     * idle and final check come with it). Where it stands in the order is not checked: the
     * console's look at the event index is no traced step, so a lock-free log's rebuilt order
     * may put the destroy's write first.
     */
    private static void consoleManagedItsVm(Trace t, List<String> out) {
        Map<String, String> c = t.comment("guestio");
        if (c == null) return;                         // guestsDidIo says so
        long vm = Trace.number(c, "vcpus") - 1L;
        Set<Long> done = new TreeSet<>();
        long issued = 0, taken = 0, served = 0;
        boolean stopIssued = false, completedSince = false, stopWaited = false, refused = false;
        long destroyN = -1;
        Set<Long> armedFor = new TreeSet<>();
        for (TraceEvent e : t.events()) {
            switch (e.name()) {
                case "iopm.issue_command" -> {
                    issued++;
                    if (e.get("op") == Op.STOP.code()) stopIssued = true;
                    if (e.get("op") == Op.DESTROY.code() && destroyN < 0) destroyN = e.get("n");
                }
                case "mgmt.vmm.prepare_sleep" -> {
                    if (e.has("event")) armedFor.add(e.get("event"));
                }
                case "vmm.complete_exit" -> completedSince |= stopIssued && e.get("vcpu") == vm;
                case "vmm.carry_out_command" -> {
                    if (e.get("ok") == 1) done.add(e.get("op"));
                    refused |= e.get("ok") == 0;
                    if (e.get("op") == Op.STOP.code() && e.get("ok") == 1) stopWaited = completedSince;
                }
                case "iopm.take_answer" -> taken++;
                case "iopm.serve" -> served += e.get("vcpu") == vm ? 1 : 0;
                default -> {
                }
            }
        }
        for (Op op : Op.values())
            if (!done.contains((long) op.code())) out.add("vmm.carry_out_command op=" + op.code() + " (" + op.tla() + ") ok=1");
        if (!refused) out.add("vmm.carry_out_command ok=0 (the start before the create refused)");
        if (issued == 0 || taken != issued)
            out.add("an iopm.take_answer for each iopm.issue_command (" + issued + " issued, " + taken + " taken)");
        if (served == 0) out.add("iopm.serve of the managed VM's I/O (vcpu=" + vm + ")");
        if (done.contains((long) Op.STOP.code()) && !stopWaited)
            out.add("a stop carried out after the exit it came during was completed");
        if (destroyN >= 0 && !armedFor.contains(destroyN))
            out.add("mgmt.vmm.prepare_sleep event=" + destroyN + " (the VMM asleep on the management ring, armed for the destroy)");
    }

    /** The vCPUs whose own check of their data passed ({@code guest.check pass=1}). */
    private static Set<Integer> checksPassed(Trace t) {
        Set<Integer> out = new TreeSet<>();
        for (TraceEvent e : t.events())
            if (e.name().equals("guest.check") && e.has("pass") && e.get("pass") == 1) out.add((int) e.get("vcpu"));
        return out;
    }

    /**
     * vm-rogue: every vCPU but 0 misbehaves at its third instruction (a CR3 write, a spin with
     * interrupts off, a VMRUN: reference-vmm/vmm/vcpu.c) and must be stopped by the VMM,
     * while vCPU 0 does all its I/O and halts (the replay checks it halted).
     */
    private static void roguesStopped(Trace t, List<String> out) {
        Map<String, String> c = t.comment("guestio");
        if (c == null) {
            out.add("a '# guestio' constants line (the VMM ran no guest)");
            return;
        }
        int vcpus = Trace.number(c, "vcpus"), insns = Trace.number(c, "insns");
        Set<Integer> stopped = new TreeSet<>();
        long good = 0;
        for (TraceEvent e : t.events()) {
            if (e.name().equals("vmm.stop_guest")) stopped.add((int) e.get("vcpu"));
            if (e.name().equals("vmm.complete_exit") && e.get("vcpu") == 0) good++;
        }
        for (int v = 1; v < vcpus; v++)
            if (!stopped.contains(v)) out.add("vmm.stop_guest of vcpu=" + v);
        if (stopped.contains(0)) out.add("vcpu=0 running on (it was stopped)");
        else if (good < insns) out.add(insns + " vmm.complete_exit of vcpu=0 (" + good + " seen)");
        else if (!checksPassed(t).contains(0)) out.add("guest.check vcpu=0 pass=1 (the guest's own check of its data)");
    }

    /**
     * vm-failover: the stopped IOPM is failed over for the guests too (iopm.fail, then
     * vmm.failover), and a guest's disk data survived it: after the failover another IOPM
     * served an IN of a vCPU whose OUT before it on the same disk the failed IOPM had served
     * (a STATUS then reads a register, a DATA in a sector, the failed IOPM wrote), and that
     * guest's own check passed. The VMM stops the IOPM half way through
     * its guests' exits, holding from the first IN on, so all of it holds on a right build
     * (with two IOPMs or more: with one, nothing could take over, and nothing is stopped).
     */
    private static void guestIoAcrossFailover(Trace t, List<String> out) {
        if (t.iopms() < 2) return;
        Map<String, String> c = t.comment("guestio");
        if (c == null) return;                         // guestsDidIo says so
        GuestIoConfig g;
        try {
            g = new GuestIoConfig(Trace.number(c, "vcpus"), t.iopms(), Trace.number(c, "devices"),
                    Trace.number(c, "insns"), Trace.number(c, "max_fail"));
        } catch (IllegalArgumentException e) {
            out.add("a well-formed '# guestio' line (" + e.getMessage() + ")");
            return;
        }
        boolean failed = false, failover = false;
        long failedIopm = -1;
        Map<String, Long> outServedBy = new HashMap<>();   // "vcpu/port" -> the IOPM that served its last OUT
        Set<Integer> crossRead = new TreeSet<>();
        for (TraceEvent e : t.events()) {
            switch (e.name()) {
                case "iopm.fail" -> failed = true;
                case "vmm.failover" -> {
                    failover = true;
                    failedIopm = e.get("iopm");
                }
                case "iopm.serve" -> {
                    int k = g.insn((int) e.get("rip"));
                    if (k == 0) continue;
                    String key = e.get("vcpu") + "/" + g.port(k);
                    if (g.dir(k) == Dir.OUT) outServedBy.put(key, e.get("iopm"));
                    else if (failover && e.get("iopm") != failedIopm && outServedBy.getOrDefault(key, -1L) == failedIopm)
                        crossRead.add((int) e.get("vcpu"));
                }
                default -> {
                }
            }
        }
        if (!failed) out.add("iopm.fail");
        if (!failover) out.add("vmm.failover");
        else if (crossRead.isEmpty())
            out.add("an IN served after the vmm.failover that reads a register or a sector the failed IOPM wrote");
        else if (!checksPassed(t).containsAll(crossRead))
            out.add("guest.check pass=1 of the vCPUs whose sectors crossed the failover " + crossRead);
    }

    /**
     * The irq scenarios: at least {@link #CLOCK_TICKS} clock ticks and an iopm.tick from every
     * IOPM that came up and was not failed over; with two IOPMs or more, irq-failover and
     * irq-balance also a stop and its failover.
     */
    private static void clock(String scenario, Trace t, List<String> out) {
        long ticks = t.events().stream().filter(e -> e.name().equals("irq.clock_tick")).count();
        if (ticks < CLOCK_TICKS)
            out.add(CLOCK_TICKS + " irq.clock_tick (" + ticks + " seen)");
        Set<Integer> up = new TreeSet<>(), failed = new TreeSet<>(), ticked = new TreeSet<>();
        for (TraceEvent e : t.events()) {
            switch (e.name()) {
                case "boot.vmm_see_ready" -> {
                    if (e.has("iopm")) up.add((int) e.get("iopm"));   // not a VMM AP's (vmm_ap=)
                }
                case "vmm.detect_failure" -> failed.add((int) e.get("iopm"));
                case "iopm.tick" -> ticked.add((int) e.get("iopm"));
                default -> {
                }
            }
        }
        for (int k : up)
            if (!failed.contains(k) && !ticked.contains(k)) out.add("iopm.tick from IOPM " + k);
        if ((scenario.equals("irq-failover") || scenario.equals("irq-balance") || scenario.equals("vm-failover"))
                && up.size() > 1) {
            if (t.events().stream().noneMatch(e -> e.name().equals("iopm.stop"))) out.add("iopm.stop");
            if (failed.isEmpty()) out.add("vmm.detect_failure");
        }
    }
}
