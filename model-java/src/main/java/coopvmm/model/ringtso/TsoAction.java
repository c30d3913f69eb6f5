package coopvmm.model.ringtso;

/**
 * The actions of {@code CoopRingTSO.tla} (the disjuncts of its {@code Next}), by their TLA+
 * names; the Java method of {@link Tso} is the name with a lower-case first letter.
 */
public enum TsoAction {
    VMM_WRITE_REQUEST_READ_CONS("VmmWriteRequestReadCons"),
    VMM_WRITE_REQUEST("VmmWriteRequest"),
    VMM_PUBLISH_WMB("VmmPublishWmb"),
    VMM_PUBLISH_REQUESTS("VmmPublishRequests"),
    VMM_PUBLISH_NOTIFY("VmmPublishNotify"),
    VMM_SEND_IPI("VmmSendIpi"),
    VMM_CONSUME_READ_PROD("VmmConsumeReadProd"),
    VMM_CONSUME_RMB("VmmConsumeRmb"),
    VMM_CONSUME_READ_SLOT("VmmConsumeReadSlot"),
    VMM_CONSUME_WMB("VmmConsumeWmb"),
    VMM_CONSUME_RESPONSE("VmmConsumeResponse"),
    VMM_SEE_IDLE("VmmSeeIdle"),
    VMM_PREPARE_SLEEP("VmmPrepareSleep"),
    VMM_FINAL_CHECK("VmmFinalCheck"),
    VMM_WAKE("VmmWake"),
    VMM_SPURIOUS_WAKE("VmmSpuriousWake"),
    IOPM_CONSUME_READ_PROD("IopmConsumeReadProd"),
    IOPM_CONSUME_RMB("IopmConsumeRmb"),
    IOPM_CONSUME_READ_SLOT("IopmConsumeReadSlot"),
    IOPM_CONSUME_WMB("IopmConsumeWmb"),
    IOPM_CONSUME("IopmConsume"),
    IOPM_WRITE_RESPONSE_READ_CONS("IopmWriteResponseReadCons"),
    IOPM_WRITE_RESPONSE("IopmWriteResponse"),
    IOPM_PUBLISH_WMB("IopmPublishWmb"),
    IOPM_PUBLISH_RESPONSES("IopmPublishResponses"),
    IOPM_PUBLISH_NOTIFY("IopmPublishNotify"),
    IOPM_SEND_IPI("IopmSendIpi"),
    IOPM_SEE_IDLE("IopmSeeIdle"),
    IOPM_PREPARE_SLEEP("IopmPrepareSleep"),
    IOPM_FINAL_CHECK("IopmFinalCheck"),
    IOPM_WAKE("IopmWake"),
    IOPM_SPURIOUS_WAKE("IopmSpuriousWake"),
    /** The memory system: the VMM's oldest buffered store becomes visible. */
    FLUSH_VMM("FlushVmm"),
    FLUSH_IOPM("FlushIopm"),
    /** The stuttering step allowed once the run is over. */
    FINISHED("Finished");

    private final String tla;

    TsoAction(String tla) {
        this.tla = tla;
    }

    /** The TLA+ action name, e.g. {@code IopmConsumeReadProd}. */
    public String tla() {
        return tla;
    }

    public static TsoAction fromTla(String name) {
        for (TsoAction a : values()) if (a.tla.equals(name)) return a;
        throw new IllegalArgumentException("not a CoopRingTSO action: " + name);
    }
}
