package coopvmm.model.guestio;

import coopvmm.model.TraceNames;

/**
 * The actions of {@code GuestIo.tla}, with their names in each layer: the TLA+ action, the
 * Java method (the TLA+ name with a lower-case first letter), the trace event (the side first,
 * the rule of {@link TraceNames}) and the C function (the event with '.' as '_'):
 * <pre>
 *   VmmCaptureExit(v)   vmmCaptureExit    vmm.capture_exit    vmm_capture_exit
 *   VmmSubmitExit(v)    vmmSubmitExit     vmm.submit_exit     vmm_submit_exit
 *   VmmCompleteExit(i)  vmmCompleteExit   vmm.complete_exit   vmm_complete_exit
 *   VmmResumeGuest(v)   vmmResumeGuest    vmm.resume_guest    vmm_resume_guest
 *   VmmStopGuest(v)     vmmStopGuest      vmm.stop_guest      vmm_stop_guest
 *   VmmFailover(f)      vmmFailover       vmm.failover        vmm_failover
 *   GuestCheck(v)       guestCheck        guest.check         guest_check (the VMM traces the guest's verdict)
 *   VmmCarryOutCommand(i)  vmmCarryOutCommand  vmm.carry_out_command  vmm_carry_out_command
 *   IopmIssueCommand(i)    iopmIssueCommand    iopm.issue_command     iopm_issue_command
 *   IopmTakeAnswer(i)      iopmTakeAnswer      iopm.take_answer       iopm_take_answer
 *   IopmServe(i)        iopmServe         iopm.serve          iopm_serve
 *   IopmFail(i)         iopmFail          iopm.fail           iopm_fail
 *   Finished            finished          (none: the stuttering step once every guest halted or stopped)
 * </pre>
 * An event's parameter is its {@code vcpu=} or {@code iopm=} field.
 */
public enum GuestIoAction {
    VMM_CAPTURE_EXIT("VmmCaptureExit", Param.VCPU),
    VMM_SUBMIT_EXIT("VmmSubmitExit", Param.VCPU),
    VMM_COMPLETE_EXIT("VmmCompleteExit", Param.IOPM),
    VMM_RESUME_GUEST("VmmResumeGuest", Param.VCPU),
    VMM_FAILOVER("VmmFailover", Param.IOPM),
    VMM_STOP_GUEST("VmmStopGuest", Param.VCPU),
    GUEST_CHECK("GuestCheck", Param.VCPU),
    VMM_CARRY_OUT_COMMAND("VmmCarryOutCommand", Param.IOPM),
    IOPM_ISSUE_COMMAND("IopmIssueCommand", Param.IOPM),
    IOPM_TAKE_ANSWER("IopmTakeAnswer", Param.IOPM),
    IOPM_SERVE("IopmServe", Param.IOPM),
    IOPM_FAIL("IopmFail", Param.IOPM),
    /** The stuttering step allowed once every guest halted. */
    FINISHED("Finished", Param.NONE);

    /** What an action is parameterised by: nothing, a vCPU, or an IOPM. */
    public enum Param { NONE, VCPU, IOPM }

    private final String tla;
    private final String event;
    private final Param param;

    GuestIoAction(String tla, Param param) {
        this.tla = tla;
        this.param = param;
        this.event = param == Param.NONE ? null : TraceNames.sided(tla);
    }

    /** The TLA+ action name (also TLC's label for its steps), e.g. {@code VmmCaptureExit}. */
    public String tla() {
        return tla;
    }

    /** The trace event name, e.g. {@code vmm.capture_exit}; null for {@code Finished}. */
    public String event() {
        return event;
    }

    /** The C function name, e.g. {@code vmm_capture_exit}; null for {@code Finished}. */
    public String cFunction() {
        return event == null ? null : event.replace('.', '_');
    }

    public Param param() {
        return param;
    }

    public static GuestIoAction fromTla(String name) {
        for (GuestIoAction a : values()) if (a.tla.equals(name)) return a;
        throw new IllegalArgumentException("not a GuestIo action: " + name);
    }

    /** The action a trace event names, or null if it is not a guest I/O event. */
    public static GuestIoAction fromEvent(String event) {
        for (GuestIoAction a : values()) if (a.event != null && a.event.equals(event)) return a;
        return null;
    }
}
