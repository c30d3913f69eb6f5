package coopvmm.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The shared zone as a consumer sees it: u32 words and whole slots, at zone offsets. The
 * harness puts a hostile implementation here (the peer rewrites its bytes between reads);
 * {@link #of(ByteBuffer)} is the plain one.
 */
public interface SharedMemory {

    /** The little-endian u32 at zone offset {@code off}. */
    long readU32(int off);

    /** Copies {@code dst.length} bytes from zone offset {@code off} (one bulk read). */
    void read(int off, byte[] dst);

    /** Stores the u32 {@code v} at zone offset {@code off}. */
    void writeU32(int off, long v);

    /** Plain memory over a buffer holding the zone (zone offset 0 at index 0). */
    static SharedMemory of(ByteBuffer zone) {
        ByteBuffer b = zone.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new SharedMemory() {
            @Override
            public long readU32(int off) {
                return Integer.toUnsignedLong(b.getInt(off));
            }

            @Override
            public void read(int off, byte[] dst) {
                b.get(off, dst);
            }

            @Override
            public void writeU32(int off, long v) {
                b.putInt(off, (int) v);
            }
        };
    }
}
