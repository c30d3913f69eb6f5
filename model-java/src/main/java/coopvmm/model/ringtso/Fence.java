package coopvmm.model.ringtso;

/**
 * The barriers of {@code reference-vmm/ring/ring.c}, by their names in {@code CoopRingTSO.tla}'s
 * {@code AllFences}. A config's {@code Fences} is the set of those present.
 */
public enum Fence {
    VMM_PUBLISH_WMB("VmmPublishWmb"),
    VMM_PUBLISH_MB("VmmPublishMb"),
    VMM_CONSUME_RMB("VmmConsumeRmb"),
    VMM_CONSUME_WMB("VmmConsumeWmb"),
    VMM_SLEEP_MB("VmmSleepMb"),
    IOPM_CONSUME_RMB("IopmConsumeRmb"),
    IOPM_CONSUME_WMB("IopmConsumeWmb"),
    IOPM_PUBLISH_WMB("IopmPublishWmb"),
    IOPM_PUBLISH_MB("IopmPublishMb"),
    IOPM_SLEEP_MB("IopmSleepMb");

    private final String tla;

    Fence(String tla) {
        this.tla = tla;
    }

    /** The name in {@code Fences}, e.g. {@code "VmmPublishMb"}. */
    public String tla() {
        return tla;
    }

    public static Fence fromTla(String name) {
        for (Fence f : values()) if (f.tla.equals(name)) return f;
        throw new IllegalArgumentException("not a barrier of AllFences: \"" + name + "\"");
    }
}
