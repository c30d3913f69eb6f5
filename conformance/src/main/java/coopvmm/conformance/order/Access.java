package coopvmm.conformance.order;

/**
 * One access logged inside a v2 record (docs/trace-format.md, "Trace format, version 2"): a
 * load of a shared word and the value it saw ({@code r:<word>=<v>}), a store and the value
 * written ({@code w:<word>=<v>}), or a full barrier ({@code mb}, word {@code null}).
 * A word is named by its channel (the event's {@code iopm}) and its name; values are
 * unsigned 64-bit (compare with {@link Long#compareUnsigned}).
 */
public record Access(Kind kind, int channel, String word, long value) {

    public enum Kind { READ, WRITE, FENCE }

    /** The codes of {@link Kind} in {@link CpuLog}'s arrays. */
    static final byte READ = 0, WRITE = 1, FENCE = 2;

    static Kind kindOf(byte code) {
        return code == READ ? Kind.READ : code == WRITE ? Kind.WRITE : Kind.FENCE;
    }

    /** The word as printed: its name, with {@code @iopm<k>} when the channel is not 0. */
    public static String wordName(int channel, String word) {
        return channel == 0 ? word : word + "@iopm" + channel;
    }

    /** {@code r:req_prod} / {@code w:req_prod} / {@code mb}: the access without its value. */
    public String shortName() {
        return switch (kind) {
            case FENCE -> "mb";
            case READ -> "r:" + wordName(channel, word);
            case WRITE -> "w:" + wordName(channel, word);
        };
    }

    /** {@code word=value}, as a phrase ("wrote req_cons=3"). */
    public String assignment() {
        return wordName(channel, word) + "=" + Long.toUnsignedString(value);
    }

    @Override
    public String toString() {
        return kind == Kind.FENCE ? "mb" : shortName() + "=" + Long.toUnsignedString(value);
    }
}
