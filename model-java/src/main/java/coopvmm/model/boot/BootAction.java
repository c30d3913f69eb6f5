package coopvmm.model.boot;

import coopvmm.model.TraceNames;

/**
 * The actions of {@code BootHandoff.tla}, with their names in each layer: the TLA+ action and
 * the trace event the C implementation is to emit (the Java method is the TLA+ name with a
 * lower-case first letter).
 *
 * <p>Trace events of the boot hand-off ({@code docs/trace-format.md}):
 * {@code boot.<snake_case of the TLA+ name>}, the side in the name, so that they never clash
 * with the ring's {@code vmm.*}/{@code iopm.*} events in one trace. Every event names the IOPM
 * it concerns ({@code iopm=<k>}, counting from 0: the spec's AP {@code k + 1});
 * {@code boot.iopm_stray_write} also the faulting address ({@code addr=}), which the checker
 * maps to a unit. The names:
 * <pre>
 *   VmmAllocZone         boot.vmm_alloc_zone          VmmSeeReady          boot.vmm_see_ready
 *   VmmWriteHandoff      boot.vmm_write_handoff       VmmSeeFault          boot.vmm_see_fault
 *   VmmCopyRealMode      boot.vmm_copy_real_mode      VmmQueueWork         boot.vmm_queue_work
 *   VmmCopyProtMode      boot.vmm_copy_prot_mode      ApSwitchToProtected  boot.ap_switch_to_protected
 *   VmmSendInit          boot.vmm_send_init           ApEnterIopm          boot.ap_enter_iopm
 *   VmmSendSipi          boot.vmm_send_sipi           IopmSetUp            boot.iopm_set_up
 *   VmmSeeStarted        boot.vmm_see_started         IopmSignalReady      boot.iopm_signal_ready
 *   VmmRetry             boot.vmm_retry               IopmStrayWrite       boot.iopm_stray_write
 *   VmmGiveUp            boot.vmm_give_up             ApEnterVmm           boot.ap_enter_vmm
 *                                                     Finished             (none)
 * </pre>
 * The VMM-side events of the boot loop ({@code VmmAllocZone} .. {@code VmmGiveUp}) concern
 * AP {@code cur}. {@code boot.vmm_queue_work} is the VMM routing work to the IOPM for the first
 * time (the ring's own events follow).
 */
public enum BootAction {
    VMM_ALLOC_ZONE("VmmAllocZone", Side.VMM_BOOT),
    VMM_WRITE_HANDOFF("VmmWriteHandoff", Side.VMM_BOOT),
    VMM_COPY_REAL_MODE("VmmCopyRealMode", Side.VMM_BOOT),
    VMM_COPY_PROT_MODE("VmmCopyProtMode", Side.VMM_BOOT),
    VMM_SEND_INIT("VmmSendInit", Side.VMM_BOOT),
    VMM_SEND_SIPI("VmmSendSipi", Side.VMM_BOOT),
    VMM_SEE_STARTED("VmmSeeStarted", Side.VMM_BOOT),
    VMM_RETRY("VmmRetry", Side.VMM_BOOT),
    VMM_GIVE_UP("VmmGiveUp", Side.VMM_BOOT),
    VMM_SEE_READY("VmmSeeReady", Side.VMM_SERVE),
    VMM_SEE_FAULT("VmmSeeFault", Side.VMM_SERVE),
    VMM_QUEUE_WORK("VmmQueueWork", Side.VMM_SERVE),
    AP_SWITCH_TO_PROTECTED("ApSwitchToProtected", Side.AP),
    AP_ENTER_IOPM("ApEnterIopm", Side.AP),
    IOPM_SET_UP("IopmSetUp", Side.AP),
    IOPM_SIGNAL_READY("IopmSignalReady", Side.AP),
    /** A VMM AP (NVmmAps) enters the VMM and signals ready. */
    AP_ENTER_VMM("ApEnterVmm", Side.AP),
    /** The rogue's fault: not part of any fair step; takes the unit written. */
    IOPM_STRAY_WRITE("IopmStrayWrite", Side.AP),
    /** The stuttering step allowed once the run is over. */
    FINISHED("Finished", Side.NONE);

    /** Who takes the action, and whether it takes an AP parameter. */
    public enum Side {
        /** The VMM's boot loop, on AP {@code cur}: no parameter. */
        VMM_BOOT,
        /** The VMM serving an AP {@code a}: {@code \E a \in APs}. */
        VMM_SERVE,
        /** AP {@code a} itself: {@code \E a \in APs}. */
        AP,
        NONE
    }

    private final String tla;
    private final String event;
    private final Side side;

    BootAction(String tla, Side side) {
        this.tla = tla;
        this.side = side;
        this.event = side == Side.NONE ? null : "boot." + TraceNames.snake(tla);
    }

    /** The TLA+ action name, e.g. {@code VmmSendSipi}. */
    public String tla() {
        return tla;
    }

    /** The trace event name, e.g. {@code boot.vmm_send_sipi}; null for {@code Finished}. */
    public String event() {
        return event;
    }

    public Side side() {
        return side;
    }

    /** Takes an AP parameter ({@code \E a \in APs : Action(a)} in the spec). */
    public boolean perAp() {
        return side == Side.VMM_SERVE || side == Side.AP;
    }

    public static BootAction fromTla(String name) {
        for (BootAction a : values()) if (a.tla.equals(name)) return a;
        throw new IllegalArgumentException("not a BootHandoff action: " + name);
    }

    /** The action a trace event names, or null if it is not a boot event. */
    public static BootAction fromEvent(String event) {
        return BY_EVENT.get(event);
    }

    /** Event name to action, the first action of a name winning: one lookup per trace event. */
    private static final java.util.Map<String, BootAction> BY_EVENT = new java.util.HashMap<>();

    static {
        for (BootAction a : values()) if (a.event != null) BY_EVENT.putIfAbsent(a.event, a);
    }
}
