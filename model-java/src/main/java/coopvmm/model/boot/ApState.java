package coopvmm.model.boot;

/**
 * An AP's CPU state and what it runs ({@code ap[a]}): the Intel SDM's reset and wait-for-SIPI
 * states, then the running states of the boot path.
 */
public enum ApState {
    /** Not started (or dead). */
    RESET("reset"),
    /** After an INIT: waiting for a SIPI. */
    WAIT_SIPI("wait-sipi"),
    /** Running its real-mode code (an IOPM's or a VMM AP's). */
    REAL("real"),
    /** In protected mode, segment limits and page tables set from the hand-off block. */
    PROT("prot"),
    /** In the IOPM, setting up. */
    SETUP("setup"),
    /** Set up, ready not yet signalled. */
    SETUP_DONE("setup-done"),
    /** Ready signalled (flag in the shared zone, IPI). */
    READY("ready"),
    /** Stopped by a fault (a write outside its zone). */
    FAULTED("faulted"),
    /** A VMM AP, in the VMM (ready signalled). */
    VMM("vmm");

    private final String tla;

    ApState(String tla) {
        this.tla = tla;
    }

    /** The TLA+ string value. */
    public String tla() {
        return tla;
    }

    /** In {@code Running}: started from a SIPI. */
    public boolean running() {
        return this != RESET && this != WAIT_SIPI;
    }

    /** In {@code InIopm}: executing the protected-mode code. */
    public boolean inIopm() {
        return this == SETUP || this == SETUP_DONE || this == READY || this == FAULTED;
    }

    public static ApState fromTla(String s) {
        for (ApState a : values()) if (a.tla.equals(s)) return a;
        throw new IllegalArgumentException("not an ap value: \"" + s + "\"");
    }
}
