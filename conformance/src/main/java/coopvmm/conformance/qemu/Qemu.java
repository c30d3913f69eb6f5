package coopvmm.conformance.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots a multiboot image under qemu-system-i386 with the devices the reference VMM uses:
 * the trace on debugcon (port 0xE9), the log on COM1, isa-debug-exit for the guest's
 * status. Every boot is bounded on the host: QEMU is killed when the guest has written
 * nothing (trace or log) for a quiet time, the sign of a hang whatever the host's speed, or
 * when it runs past an overall bound. No network.
 */
public final class Qemu {

    /** The guest writes {@code status} to isa-debug-exit; QEMU exits {@code (status << 1) | 1}. */
    public static final int DEBUG_EXIT_PORT = 0xf4;

    private final Path binary;
    /** Words put before QEMU's own on its command line, e.g. taskset -c 0. */
    private final List<String> prefix;

    private Qemu(Path binary) {
        this(binary, List.of());
    }

    private Qemu(Path binary, List<String> prefix) {
        this.binary = binary;
        this.prefix = List.copyOf(prefix);
    }

    /** The same QEMU, started through {@code prefix} (a CPU pinning, say). */
    public Qemu through(List<String> prefix) {
        return new Qemu(binary, prefix);
    }

    /** QEMU from {@code COOP_QEMU} (or the property coop.qemu) or the PATH; null when there is none. */
    public static Qemu find() {
        String env = System.getProperty("coop.qemu", System.getenv("COOP_QEMU"));
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? new Qemu(p) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "qemu-system-i386");
            if (Files.isExecutable(p)) return new Qemu(p);
        }
        return null;
    }

    /** KVM is used only when asked for, or with auto when /dev/kvm can be opened. */
    public static String accelFor(String accel) {
        return switch (accel) {
            case "kvm" -> "kvm";
            case "auto" -> Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"))
                    ? "kvm" : "tcg,thread=multi";
            default -> "tcg,thread=multi";
        };
    }

    /**
     * Boots {@code image} with {@code smp} CPUs and the kernel command line {@code append}.
     * With {@code deterministic}, one host thread and instruction counting make a run
     * reproducible byte for byte from its seed.
     */
    public QemuRun boot(Path image, int smp, String append, String accel, boolean deterministic,
                        long timeoutSeconds, Path dir) throws IOException, InterruptedException {
        return boot(image, smp, append, accel, deterministic, timeoutSeconds, timeoutSeconds * 5, dir);
    }

    /** How often the host looks at the guest's output while it runs. */
    private static final long POLL_MILLIS = 200;

    /**
     * As {@link #boot(Path, int, String, String, boolean, long, Path)}, killed after
     * {@code quietSeconds} with no new output from the guest, or {@code maxSeconds} in all.
     */
    public QemuRun boot(Path image, int smp, String append, String accel, boolean deterministic,
                        long quietSeconds, long maxSeconds, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(binary.toString(),
                "-accel", deterministic ? "tcg,thread=single" : accelFor(accel),
                // every feature TCG has, AMD SVM among them: vm-io's guests run under VMRUN
                "-cpu", "max",
                "-smp", Integer.toString(smp), "-m", "128",
                "-kernel", image.toAbsolutePath().toString(), "-append", append,
                "-display", "none", "-monitor", "none", "-nodefaults",
                "-serial", "file:" + dir.resolve("serial.log"),
                "-debugcon", "file:" + dir.resolve("trace.log"),
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(DEBUG_EXIT_PORT) + ",iosize=0x04",
                // interrupt sources of the routing scenarios: a PCI device, and ISA lines the guest pulses
                "-device", "edu", "-device", "pc-testdev",
                "-no-reboot"));
        if (deterministic) {
            cmd.addAll(List.of("-icount", "shift=7,sleep=off", "-rtc", "clock=vm,base=2020-01-01"));
        }
        Files.writeString(dir.resolve("command"), String.join(" ", cmd.stream().map(Qemu::quote).toList()) + "\n");
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile());
        pb.environment().remove("LD_PRELOAD");   // a fuzzing JVM's preload is not QEMU's business
        Process p = pb.start();
        Path trace = dir.resolve("trace.log"), serial = dir.resolve("serial.log");
        long written = -1, lastOutput = System.nanoTime();
        String killed = null;
        while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime(), w = size(trace) + size(serial);
            if (w != written) {
                written = w;
                lastOutput = now;
            }
            if (now - lastOutput > TimeUnit.SECONDS.toNanos(quietSeconds)) {
                killed = "no output from the guest for " + quietSeconds + " s";
            } else if (now - start > TimeUnit.SECONDS.toNanos(maxSeconds)) {
                killed = "still running after " + maxSeconds + " s";
            }
            if (killed != null) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (killed != null) return new QemuRun(QemuRun.Outcome.TIMEOUT, -1, -1, seconds, dir, killed);
        int code = p.exitValue();
        // QEMU's own failures (an image it cannot load, a bad option) also exit 1, which
        // would read as "the guest wrote 0": QEMU says so on its log and the guest wrote nothing.
        String log = Files.exists(dir.resolve("qemu.log")) ? Files.readString(dir.resolve("qemu.log")) : "";
        boolean guestWrote = Files.exists(trace) && Files.size(trace) > 0;
        if (log.contains("qemu-system-i386: ") && !guestWrote)
            return new QemuRun(QemuRun.Outcome.QEMU_ERROR, -1, code, seconds, dir, null);
        if ((code & 1) == 1) return new QemuRun(QemuRun.Outcome.EXITED, code >> 1, code, seconds, dir, null);
        return new QemuRun(QemuRun.Outcome.CRASHED, -1, code, seconds, dir, null);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String quote(String s) {
        return s.matches("[\\w./,:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
