package coopvmm.conformance;

import coopvmm.conformance.qemu.Qemu;
import coopvmm.conformance.qemu.QemuRun;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the reference VMM built and booted once. Tests that need QEMU are skipped
 * when it is missing, except under CI (CI=true), where ./coop test installs it and a
 * missing QEMU is a failure.
 */
public final class GuestRuns {

    private GuestRuns() {
    }

    public static Qemu qemu() {
        Qemu q = Qemu.find();
        if (q == null && "true".equals(System.getenv("CI"))) throw new AssertionError("QEMU is missing under CI");
        Assumptions.assumeTrue(q != null, "qemu-system-i386 is not installed");
        return q;
    }

    /** Builds the reference VMM (or one mutant) with make and returns the image. */
    public static Path image(String mutant) throws Exception {
        Repo repo = Repo.locate();
        Path dir = repo.root().resolve("reference-vmm");
        List<String> cmd = new java.util.ArrayList<>(List.of("make", "-s", "-j" + Runtime.getRuntime().availableProcessors(),
                "-C", dir.toString()));
        if (mutant != null) cmd.add("MUTANT=" + mutant);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("make failed: " + cmd);
        Path img = dir.resolve("build").resolve(mutant == null ? "coopvmm.elf" : "coopvmm-" + mutant + ".elf");
        if (!Files.isRegularFile(img)) throw new AssertionError("no image at " + img);
        return img;
    }

    /** One bounded boot of the reference VMM into {@code dir}. */
    public static QemuRun boot(String append, int smp, Path dir) throws Exception {
        return qemu().boot(image(null), smp, append, "tcg", false, 120, dir);
    }
}
