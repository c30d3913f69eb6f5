package coopvmm.conformance.qemu;

import java.nio.file.Path;

/**
 * How one QEMU boot of a build ended.
 *
 * @param outcome     what happened to the guest
 * @param guestStatus the status the guest wrote to isa-debug-exit, or -1
 * @param qemuExit    QEMU's exit code (-1 when killed on timeout)
 * @param seconds     wall time from start to exit
 * @param dir         the run folder: trace.log, serial.log, qemu.log, command
 * @param killed      why the host killed QEMU (outcome TIMEOUT), else null
 */
public record QemuRun(Outcome outcome, int guestStatus, int qemuExit, double seconds, Path dir, String killed) {

    public enum Outcome {
        /** The guest wrote a status to isa-debug-exit. */
        EXITED,
        /** QEMU exited without the guest writing a status: a triple fault or a crash. */
        CRASHED,
        /** The host killed QEMU: the guest wrote nothing for too long (hung), or ran past the bound. */
        TIMEOUT,
        /** QEMU itself refused to start (bad image, bad option). */
        QEMU_ERROR
    }

    public Path trace() {
        return dir.resolve("trace.log");
    }

    public Path serial() {
        return dir.resolve("serial.log");
    }

    public Path qemuLog() {
        return dir.resolve("qemu.log");
    }
}
