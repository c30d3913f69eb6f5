package coopvmm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import coopvmm.conformance.Repo;
import coopvmm.conformance.qemu.Qemu;
import coopvmm.conformance.qemu.QemuRun;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.Trace;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Harness 4, guest level: the fuzzer writes a run of the real reference VMM under QEMU
 * (scenario, IOPM count, requests per IOPM, seed of the guests' request script, the IOPM's
 * idle delay, which widens the sleep races, and how many CPUs run the VMM: vmm_cpus, last, so
 * that the committed inputs, which end before it, keep their meaning with 1) and every run is
 * checked by conformance: the
 * guest must exit with status 0 and its trace must replay through the Java models (ring,
 * boot, routing) with no request unanswered. One boot per input (about a second or two): slow by nature, so real
 * fuzzing is bounded ({@code ./coop fuzz ring --target guest --seconds N}); {@code ./coop
 * test} replays the committed inputs. (TLC trace validation is left to {@code ./coop
 * conform}: the model replay is the oracle here, for speed.)
 */
class GuestFuzzTest {

    static final List<String> SCENARIOS = List.of("ring", "ring-burst", "ring-sleep", "ring-hostile",
            "boot", "boot-rogue", "boot-slow", "boot-dead", "irq", "irq-balance", "irq-failover", "irq-vmm-local");
    static final long BOOT_TIMEOUT_SECONDS = 60;

    static Path image;

    @FuzzTest
    void guestScript(FuzzedDataProvider data) throws Exception {
        String scenario = data.pickValue(SCENARIOS);
        int smp = data.consumeInt(2, 4);
        if (scenario.equals("boot-rogue") || scenario.equals("boot-dead")) smp = Math.max(smp, 3);   // one IOPM must survive
        int requests = data.consumeInt(1, 120);
        long seed = data.consumeInt() & 0xffffffffL;
        int idleUs = data.consumeInt(0, 400);
        int vmmCpus = data.consumeInt(1, 2);
        int iopmsNeeded = scenario.equals("boot-rogue") || scenario.equals("boot-dead") ? 2 : 1;
        if (smp - vmmCpus < iopmsNeeded) vmmCpus = 1;             // a layout the kernel refuses tests nothing
        String extra = "iopm_idle_us=" + idleUs + (vmmCpus > 1 ? " vmm_cpus=" + vmmCpus : "");
        String append = "scenario=" + scenario + " requests=" + requests + " seed=" + seed + " " + extra;

        Qemu qemu = Qemu.find();
        if (qemu == null && "true".equals(System.getenv("CI"))) throw new AssertionError("QEMU is missing under CI");
        Assumptions.assumeTrue(qemu != null, "qemu-system-i386 is not installed");
        Repo repo = Repo.locate();
        Path dir = Files.createDirectories(repo.reports().resolve("fuzz").resolve("guest"))
                .resolve("run-" + scenario + "-smp" + smp + "-seed" + seed);
        Path img = image(repo);
        QemuRun run = qemu.boot(img, smp, append, "tcg", false, BOOT_TIMEOUT_SECONDS, dir);
        String repro = "./coop conform --image " + repo.show(img) + " --scenario " + scenario + " --smp " + smp + " --seed " + seed
                + " --requests " + requests + " --append '" + extra + "'";
        if (run.outcome() != QemuRun.Outcome.EXITED || run.guestStatus() != 0) {
            throw new AssertionError("guest run " + run.outcome() + " status " + run.guestStatus()
                    + " (" + dir + "); reproduce: " + repro);
        }
        TraceCheck.Report r = TraceCheck.check(Trace.read(run.trace()), dir, null);   // the three model replays
        if (!r.conforms() || r.partial()) {
            String why = r.replay().divergence() != null
                    ? "ring: first divergent event #" + r.replay().divergence().event().seq() + ": " + r.replay().divergence().expected()
                    : r.boot() != null && r.boot().divergence() != null
                    ? "boot: first divergent event #" + r.boot().divergence().event().seq() + ": " + r.boot().divergence().expected()
                    : r.irq() != null && r.irq().divergence() != null
                    ? "routing: first divergent event #" + r.irq().divergence().event().seq() + ": " + r.irq().divergence().expected()
                    : r.partial() ? "trace cut" : "ring " + r.replay().endFailures() + " " + (r.boot() == null ? "" : r.boot().endFailures())
                    + " " + (r.irq() == null ? "" : r.irq().endFailures());
            throw new AssertionError("does not conform: " + why + " (" + dir + "); reproduce: " + repro);
        }
    }

    /**
     * The reference VMM, built once per JVM with make; or the build named by the property
     * {@code coopvmm.guest.image} (a mutant build, to show the harness finds its bug).
     */
    static synchronized Path image(Repo repo) throws Exception {
        String given = System.getProperty("coopvmm.guest.image");
        if (given != null && !given.isBlank()) return Path.of(given);
        if (image == null) {
            Path dir = repo.root().resolve("reference-vmm");
            Process p = new ProcessBuilder("make", "-s", "-C", dir.toString()).inheritIO().start();
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("make failed in " + dir);
            image = dir.resolve("build/coopvmm.elf");
        }
        return image;
    }
}
