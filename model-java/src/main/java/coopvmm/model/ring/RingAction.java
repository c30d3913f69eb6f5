package coopvmm.model.ring;

import coopvmm.model.TraceNames;

/**
 * The actions of {@code CoopRing.tla}, with their names in each layer: the TLA+ action, and
 * the trace event of {@code docs/trace-format.md}. (The Java method is the TLA+ name with a
 * lower-case first letter; the C function is the trace name with '.' as '_'.)
 */
public enum RingAction {
    VMM_WRITE_REQUEST("VmmWriteRequest"),
    VMM_PUBLISH_REQUESTS("VmmPublishRequests"),
    VMM_NOTIFY_IOPM("VmmNotifyIopm"),
    VMM_SEND_IPI("VmmSendIpi"),
    VMM_CONSUME_RESPONSE("VmmConsumeResponse"),
    VMM_DECLARE_IOPM_BROKEN("VmmDeclareIopmBroken"),
    VMM_SEE_IDLE("VmmSeeIdle"),
    VMM_PREPARE_SLEEP("VmmPrepareSleep"),
    VMM_FINAL_CHECK("VmmFinalCheck"),
    VMM_WAKE("VmmWake"),
    VMM_SPURIOUS_WAKE("VmmSpuriousWake"),
    IOPM_CONSUME("IopmConsume"),
    IOPM_WRITE_RESPONSE("IopmWriteResponse"),
    IOPM_PUBLISH_RESPONSES("IopmPublishResponses"),
    IOPM_NOTIFY_VMM("IopmNotifyVmm"),
    IOPM_SEND_IPI("IopmSendIpi"),
    IOPM_PUBLISH_BOGUS("IopmPublishBogus"),
    IOPM_SEE_IDLE("IopmSeeIdle"),
    IOPM_PREPARE_SLEEP("IopmPrepareSleep"),
    IOPM_FINAL_CHECK("IopmFinalCheck"),
    IOPM_WAKE("IopmWake"),
    IOPM_SPURIOUS_WAKE("IopmSpuriousWake"),
    /** The stuttering step allowed once the run is over. */
    FINISHED("Finished");

    private final String tla;
    private final String event;

    RingAction(String tla) {
        this.tla = tla;
        this.event = TraceNames.sided(tla);
    }

    /** The TLA+ action name, e.g. {@code IopmConsume}. */
    public String tla() {
        return tla;
    }

    /** The trace event name, e.g. {@code iopm.consume}. */
    public String event() {
        return event;
    }

    public static RingAction fromTla(String name) {
        for (RingAction a : values()) if (a.tla.equals(name)) return a;
        throw new IllegalArgumentException("not a CoopRing action: " + name);
    }

    /** The action a trace event names, or null if it is not a ring event. */
    public static RingAction fromEvent(String event) {
        return BY_EVENT.get(event);
    }

    /** Event name to action, the first action of a name winning: one lookup per trace event. */
    private static final java.util.Map<String, RingAction> BY_EVENT = new java.util.HashMap<>();

    static {
        for (RingAction a : values()) if (a != FINISHED) BY_EVENT.putIfAbsent(a.event, a);
    }
}
