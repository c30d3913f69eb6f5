package coopvmm.model.mgmtring;

import coopvmm.model.TraceNames;

/**
 * The actions of {@code MgmtRing.tla}, with their TLA+ names (TLC's labels) and trace events.
 * The console's steps are the IOPM's (its user interface), the answering ones the VMM's. An
 * event is the action's name by the rule of {@link TraceNames}, qualified by the ring:
 * {@code mgmt.iopm.write_command}, {@code mgmt.vmm.take_command}, ... (the unqualified names
 * are the I/O ring's, CoopRing's). The C functions of reference-vmm/include/mgmt_ring.h take
 * several steps each ({@code iopm_issue_command}: write, publish, notify decision); the
 * caller traces each step it took.
 */
public enum MgmtRingAction {
    IOPM_WRITE_COMMAND("IopmWriteCommand"),
    IOPM_PUBLISH_COMMANDS("IopmPublishCommands"),
    IOPM_NOTIFY_VMM("IopmNotifyVmm"),
    IOPM_SEND_IPI("IopmSendIpi"),
    IOPM_TAKE_ANSWER("IopmTakeAnswer"),
    IOPM_SEE_IDLE("IopmSeeIdle"),
    IOPM_PREPARE_SLEEP("IopmPrepareSleep"),
    IOPM_FINAL_CHECK("IopmFinalCheck"),
    IOPM_WAKE("IopmWake"),
    IOPM_SPURIOUS_WAKE("IopmSpuriousWake"),
    /** A hostile console's bogus command index (with PeerFaults); parameterised by the index. */
    IOPM_PUBLISH_BOGUS("IopmPublishBogus"),
    VMM_TAKE_COMMAND("VmmTakeCommand"),
    VMM_DECLARE_CONSOLE_BROKEN("VmmDeclareConsoleBroken"),
    VMM_WRITE_ANSWER("VmmWriteAnswer"),
    VMM_PUBLISH_ANSWERS("VmmPublishAnswers"),
    VMM_NOTIFY_IOPM("VmmNotifyIopm"),
    VMM_SEND_IPI("VmmSendIpi"),
    VMM_SEE_IDLE("VmmSeeIdle"),
    VMM_PREPARE_SLEEP("VmmPrepareSleep"),
    VMM_FINAL_CHECK("VmmFinalCheck"),
    VMM_WAKE("VmmWake"),
    VMM_SPURIOUS_WAKE("VmmSpuriousWake"),
    /** The stuttering step once done. */
    FINISHED("Finished");

    /** What qualifies this ring's events. */
    public static final String EVENT_PREFIX = "mgmt.";

    private final String tla;
    private final String event;

    MgmtRingAction(String tla) {
        this.tla = tla;
        this.event = tla.equals("Finished") ? null : EVENT_PREFIX + TraceNames.sided(tla);
    }

    public String tla() {
        return tla;
    }

    /** The trace event, e.g. {@code mgmt.iopm.write_command}; null for {@code Finished}. */
    public String event() {
        return event;
    }

    /** The action a trace event names, or null if it is not one of this ring's. */
    public static MgmtRingAction fromEvent(String event) {
        if (!event.startsWith(EVENT_PREFIX)) return null;
        for (MgmtRingAction a : values()) if (event.equals(a.event)) return a;
        return null;
    }
}
