package coopvmm.model.zone;

import java.util.Optional;

/**
 * The packet types of {@code docs/shared-zone.md}. On the wire a request carries
 * {@link #requestCode()}, its response {@link #responseCode()}: the same code with bit 7
 * ({@link SharedZoneLayout#RESPONSE_BIT}) set.
 */
public enum PacketType {
    /** Read {@code length} bytes at {@code arg0} of the IOPM's RAM disk; the response carries them. */
    DISK_READ(1),
    /** Write the payload at {@code arg0} of the RAM disk; the response's payload is empty. */
    DISK_WRITE(2),
    /** Payload: text for the IOPM's console; the response's payload is empty. */
    CONSOLE_WRITE(3),
    /**
     * A guest's port-I/O exit (scenarios vm-io, vm-failover): {@code arg0} the device and, in
     * bit 16, IN; payload vCPU, RIP, data; the response's payload vCPU, RIP, result.
     */
    GUEST_PIO(4);

    private final int code;

    PacketType(int code) {
        this.code = code;
    }

    /** The wire value of a request of this type. */
    public int requestCode() {
        return code;
    }

    /** The wire value of a response to a request of this type. */
    public int responseCode() {
        return code | SharedZoneLayout.RESPONSE_BIT;
    }

    /** The type whose request code is {@code code}; empty for anything else (responses too). */
    public static Optional<PacketType> ofRequestCode(int code) {
        for (PacketType t : values()) if (t.code == code) return Optional.of(t);
        return Optional.empty();
    }

    /** The type whose response code is {@code code}; empty for anything else (requests too). */
    public static Optional<PacketType> ofResponseCode(int code) {
        for (PacketType t : values()) if (t.responseCode() == code) return Optional.of(t);
        return Optional.empty();
    }

    /** The type of a request or response code; empty when the code is neither. */
    public static Optional<PacketType> ofCode(int code) {
        return ofRequestCode(code).or(() -> ofResponseCode(code));
    }

    /** Is {@code code} a response code (bit 7 set)? Says nothing about whether it is known. */
    public static boolean isResponseCode(int code) {
        return (code & SharedZoneLayout.RESPONSE_BIT) != 0;
    }
}
