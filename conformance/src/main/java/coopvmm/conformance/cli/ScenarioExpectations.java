package coopvmm.conformance.cli;

import coopvmm.conformance.trace.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each scenario exists to exercise, as events its trace must contain: a run that
 * conforms without them tested nothing of what it is named for (a fault injection that did
 * not happen, a failover that never came), and is reported as a failure.
 */
final class ScenarioExpectations {

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "ring-hostile", List.of("iopm.publish_bogus", "vmm.declare_iopm_broken"),
            "boot", List.of("boot.vmm_see_ready", "boot.vmm_queue_work"),
            "boot-rogue", List.of("boot.iopm_stray_write", "boot.vmm_see_fault", "boot.vmm_see_ready"),
            "boot-slow", List.of("boot.vmm_retry", "boot.vmm_see_ready"),
            "boot-dead", List.of("boot.vmm_give_up", "boot.vmm_see_ready"),
            "irq", List.of("vmm.route", "iopm.handle", "irq.clock_tick", "iopm.tick"),
            "irq-balance", List.of("iopm.stop", "vmm.detect_failure", "iopm.handle"),
            "irq-failover", List.of("iopm.stop", "vmm.detect_failure", "iopm.handle"),
            "irq-vmm-local", List.of("vmm.handle"));

    private ScenarioExpectations() {
    }

    /** The events the scenario should have produced and did not (empty: all there). */
    static List<String> missing(String scenario, Trace t) {
        List<String> out = new ArrayList<>();
        for (String ev : REQUIRED.getOrDefault(scenario, List.of()))
            if (t.events().stream().noneMatch(e -> e.name().equals(ev))) out.add(ev);
        return out;
    }
}
