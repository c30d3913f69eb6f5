package coopvmm.model.mgmtring;

/**
 * The actions of {@code MgmtRing.tla}, with their TLA+ names (TLC's labels). The console's
 * steps are the IOPM's (its user interface), the answering ones the VMM's. The ring's own
 * steps are not traced: a trace shows GuestIo's {@code iopm.issue_command} (the console's
 * write, publish and notify), {@code vmm.carry_out_command} (the VMM's take, write and
 * publish) and {@code iopm.take_answer}; the C functions are those of
 * reference-vmm/include/mgmt_ring.h.
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

    private final String tla;

    MgmtRingAction(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }
}
