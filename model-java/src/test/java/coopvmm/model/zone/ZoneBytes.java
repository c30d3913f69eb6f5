package coopvmm.model.zone;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/** Byte-array checks shared by the zone tests. */
final class ZoneBytes {

    private ZoneBytes() {
    }

    /** Fails unless {@code before} and {@code after} agree everywhere outside {@code [from, to)}. */
    static void assertUnchangedOutside(byte[] before, byte[] after, int from, int to, String what) {
        int i = Arrays.mismatch(before, 0, from, after, 0, from);
        if (i >= 0) fail(what + " changed byte " + i + ", outside [" + from + ", " + to + ")");
        int j = Arrays.mismatch(before, to, before.length, after, to, after.length);
        if (j >= 0) fail(what + " changed byte " + (to + j) + ", outside [" + from + ", " + to + ")");
    }
}
