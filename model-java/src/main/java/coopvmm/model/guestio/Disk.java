package coopvmm.model.guestio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A disk controller of {@code GuestIo.tla} ({@code Disks}): its sectors 0..nVcpu, and each
 * vCPU's SEL register (the sector it selected) and STATUS register (the sector its last DATA
 * command completed on; 0 before any). Lists are 0-based for sectors, 1-based accessors for
 * vCPUs, as the spec indexes.
 */
public record Disk(List<Integer> sect, List<Integer> sel, List<Integer> stat) {

    public Disk {
        sect = List.copyOf(sect);
        sel = List.copyOf(sel);
        stat = List.copyOf(stat);
    }

    /** {@code BlankDisk}: every sector 0, every register 0. */
    public static Disk blank(GuestIoConfig c) {
        return new Disk(Collections.nCopies(c.nVcpu() + 1, 0), Collections.nCopies(c.nVcpu(), 0),
                Collections.nCopies(c.nVcpu(), 0));
    }

    /** Sector {@code s} (0..nVcpu). */
    public int sect(int s) {
        return sect.get(s);
    }

    /** vCPU v's selected sector. */
    public int sel(int v) {
        return sel.get(v - 1);
    }

    /** The sector vCPU v's last DATA command completed on. */
    public int stat(int v) {
        return stat.get(v - 1);
    }

    public Disk withSect(int s, int x) {
        List<Integer> r = new ArrayList<>(sect);
        r.set(s, x);
        return new Disk(r, sel, stat);
    }

    public Disk withSel(int v, int s) {
        return new Disk(sect, GuestIoState.set(sel, v, s), stat);
    }

    public Disk withStat(int v, int s) {
        return new Disk(sect, sel, GuestIoState.set(stat, v, s));
    }
}
