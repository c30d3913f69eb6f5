package coopvmm.model.irq;

import coopvmm.model.TraceNames;

/**
 * The actions of {@code IrqRouting.tla}, with their names in each layer: the TLA+ action,
 * and the trace event the C implementation emits (docs/trace-format.md). The Java
 * method is the TLA+ name with a lower-case first letter. Trace names:
 * <ul>
 *   <li>{@code Vmm*} actions: {@code vmm.<snake_case>}, e.g. {@code VmmDetectFailure} is
 *       {@code vmm.detect_failure};</li>
 *   <li>{@code Iopm*} actions: {@code iopm.<snake_case>}, e.g. {@code IopmHandle} is
 *       {@code iopm.handle}, {@code IopmStop} is {@code iopm.stop};</li>
 *   <li>the environment (devices, clock): {@code irq.<snake_case>}, i.e. {@code DeviceRaise}
 *       is {@code irq.device_raise} and {@code ClockTick} is {@code irq.clock_tick}.</li>
 * </ul>
 * Full list: irq.device_raise (device d), irq.clock_tick, iopm.stop (i), vmm.accept,
 * vmm.handle, vmm.route, vmm.request (i), vmm.detect_failure (f), iopm.take (i),
 * iopm.handle (i), iopm.answer (i), iopm.tick (i). An action's parameter is the event's
 * {@code dev=} or {@code iopm=} field, counting from 0 (the spec's device or IOPM minus one).
 */
public enum IrqAction {
    DEVICE_RAISE("DeviceRaise", Param.DEVICE),
    CLOCK_TICK("ClockTick", Param.NONE),
    IOPM_STOP("IopmStop", Param.IOPM),
    VMM_ACCEPT("VmmAccept", Param.NONE),
    VMM_HANDLE("VmmHandle", Param.NONE),
    VMM_ROUTE("VmmRoute", Param.NONE),
    VMM_REQUEST("VmmRequest", Param.IOPM),
    VMM_DETECT_FAILURE("VmmDetectFailure", Param.IOPM),
    IOPM_TAKE("IopmTake", Param.IOPM),
    IOPM_HANDLE("IopmHandle", Param.IOPM),
    IOPM_ANSWER("IopmAnswer", Param.IOPM),
    IOPM_TICK("IopmTick", Param.IOPM);

    /** What an action is parameterised by: nothing, a device, or an IOPM. */
    public enum Param { NONE, DEVICE, IOPM }

    private final String tla;
    private final String event;
    private final Param param;

    IrqAction(String tla, Param param) {
        this.tla = tla;
        this.param = param;
        // the environment's actions (devices, clock) are irq.*, the others name their side
        this.event = tla.startsWith("Vmm") || tla.startsWith("Iopm") ? TraceNames.sided(tla) : "irq." + TraceNames.snake(tla);
    }

    /** The TLA+ action name (also TLC's label for its steps), e.g. {@code IopmTake}. */
    public String tla() {
        return tla;
    }

    /** The trace event name, e.g. {@code iopm.take}. */
    public String event() {
        return event;
    }

    public Param param() {
        return param;
    }

    public static IrqAction fromTla(String name) {
        for (IrqAction a : values()) if (a.tla.equals(name)) return a;
        throw new IllegalArgumentException("not an IrqRouting action: " + name);
    }

    /** The action a trace event names, or null if it is not an interrupt-routing event. */
    public static IrqAction fromEvent(String event) {
        return BY_EVENT.get(event);
    }

    /** Event name to action, the first action of a name winning: one lookup per trace event. */
    private static final java.util.Map<String, IrqAction> BY_EVENT = new java.util.HashMap<>();

    static {
        for (IrqAction a : values()) if (true) BY_EVENT.putIfAbsent(a.event, a);
    }
}
