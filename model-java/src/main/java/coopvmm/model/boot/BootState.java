package coopvmm.model.boot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One state of {@code BootHandoff.tla}: a field per spec variable, same names, immutable.
 * A function over the APs is a list indexed by {@code a - 1}; {@code mem} is indexed by unit.
 */
public record BootState(
        // VMM
        VmmPc vmmPc, int cur, int freeAt, int copied, List<Zone> zone, List<Integer> tries,
        List<Integer> sipis, List<ApStatus> status, List<Integer> work,
        // memory written by both sides
        List<Content> mem, List<Handoff> handoff, List<Boolean> readyFlag, List<Boolean> ipi,
        // the APs
        List<ApState> ap, List<Integer> lateBy, List<Integer> starts) {

    /** An IOPM zone, units {@code [lo, hi)}; {@code NoZone} is {@code [0, 0)}. */
    public record Zone(int lo, int hi) {
        public static final Zone NONE = new Zone(0, 0);

        public boolean contains(int u) {
            return u >= lo && u < hi;
        }
    }

    /** A hand-off block; 0 in a field: not written. */
    public record Handoff(int entry, int lo, int hi, int shared) {
        public static final Handoff NONE = new Handoff(0, 0, 0, 0);
    }

    /** What a memory unit holds: {@code <<kind, owner>>} (owner 0: no AP). */
    public record Content(String kind, int owner) {
        public static final Content BIOS = new Content("bios", 0);
        public static final Content VMM = new Content("vmm", 0);
        public static final Content SHARED = new Content("shared", 0);
        public static final Content FREE = new Content("free", 0);

        public static Content rm(int a) {
            return new Content("rm", a);
        }

        public static Content pm(int a) {
            return new Content("pm", a);
        }

        public static Content data(int a) {
            return new Content("data", a);
        }

        @Override
        public String toString() {
            return "<<\"" + kind + "\", " + owner + ">>";
        }
    }

    public BootState {
        zone = List.copyOf(zone);
        tries = List.copyOf(tries);
        sipis = List.copyOf(sipis);
        status = List.copyOf(status);
        work = List.copyOf(work);
        mem = List.copyOf(mem);
        handoff = List.copyOf(handoff);
        readyFlag = List.copyOf(readyFlag);
        ipi = List.copyOf(ipi);
        ap = List.copyOf(ap);
        lateBy = List.copyOf(lateBy);
        starts = List.copyOf(starts);
    }

    /** {@code Init}. */
    public static BootState init(BootConfig c) {
        int n = c.numAps();
        List<Content> mem = new ArrayList<>();
        for (int u = 0; u < c.memTop(); u++) {
            mem.add(u == 0 ? Content.BIOS : c.inVmmZone(u) ? Content.VMM
                    : u == c.sharedAt() ? Content.SHARED : Content.FREE);
        }
        List<Integer> lateBy = new ArrayList<>();
        for (int a = 1; a <= n; a++) lateBy.add(c.slow().contains(a) ? c.slowBy() : 0);
        return new BootState(c.firstStep(1), 1, c.firstFree(), 0, Collections.nCopies(n, Zone.NONE),
                Collections.nCopies(n, 0), Collections.nCopies(n, 0),
                Collections.nCopies(n, ApStatus.BOOTING), Collections.nCopies(n, 0), mem,
                Collections.nCopies(n, Handoff.NONE), Collections.nCopies(n, false),
                Collections.nCopies(n, false), Collections.nCopies(n, ApState.RESET), lateBy,
                Collections.nCopies(n, 0));
    }

    // ---- per-AP reads (a is 1-based, as in the spec) -------------------------------------

    public Zone zoneOf(int a) {
        return zone.get(a - 1);
    }

    public int triesOf(int a) {
        return tries.get(a - 1);
    }

    public int sipisOf(int a) {
        return sipis.get(a - 1);
    }

    public ApStatus statusOf(int a) {
        return status.get(a - 1);
    }

    public int workOf(int a) {
        return work.get(a - 1);
    }

    public Handoff handoffOf(int a) {
        return handoff.get(a - 1);
    }

    public boolean readyFlagOf(int a) {
        return readyFlag.get(a - 1);
    }

    public boolean ipiOf(int a) {
        return ipi.get(a - 1);
    }

    public ApState apOf(int a) {
        return ap.get(a - 1);
    }

    public int lateByOf(int a) {
        return lateBy.get(a - 1);
    }

    public int startsOf(int a) {
        return starts.get(a - 1);
    }

    /** A copy-with builder: actions change a few fields and keep the rest. */
    public Builder with() {
        return new Builder(this);
    }

    /** Mutable only while an action builds its successor. Per-AP setters take 1-based APs. */
    public static final class Builder {
        public VmmPc vmmPc;
        public int cur, freeAt, copied;
        public List<Zone> zone;
        public List<Integer> tries, sipis, work, lateBy, starts;
        public List<ApStatus> status;
        public List<Content> mem;
        public List<Handoff> handoff;
        public List<Boolean> readyFlag, ipi;
        public List<ApState> ap;

        Builder(BootState s) {
            vmmPc = s.vmmPc; cur = s.cur; freeAt = s.freeAt; copied = s.copied; zone = s.zone;
            tries = s.tries; sipis = s.sipis; status = s.status; work = s.work; mem = s.mem;
            handoff = s.handoff; readyFlag = s.readyFlag; ipi = s.ipi; ap = s.ap;
            lateBy = s.lateBy; starts = s.starts;
        }

        public Builder zone(int a, Zone z) { zone = set(zone, a - 1, z); return this; }
        public Builder tries(int a, int x) { tries = set(tries, a - 1, x); return this; }
        public Builder sipis(int a, int x) { sipis = set(sipis, a - 1, x); return this; }
        public Builder status(int a, ApStatus x) { status = set(status, a - 1, x); return this; }
        public Builder work(int a, int x) { work = set(work, a - 1, x); return this; }
        public Builder handoff(int a, Handoff h) { handoff = set(handoff, a - 1, h); return this; }
        public Builder readyFlag(int a, boolean x) { readyFlag = set(readyFlag, a - 1, x); return this; }
        public Builder ipi(int a, boolean x) { ipi = set(ipi, a - 1, x); return this; }
        public Builder ap(int a, ApState x) { ap = set(ap, a - 1, x); return this; }
        public Builder lateBy(int a, int x) { lateBy = set(lateBy, a - 1, x); return this; }
        public Builder starts(int a, int x) { starts = set(starts, a - 1, x); return this; }

        /** {@code [mem EXCEPT ![u] = x]}: a unit outside memory leaves mem as it is. */
        public Builder mem(int u, Content x) {
            if (u >= 0 && u < mem.size()) mem = set(mem, u, x);
            return this;
        }

        public BootState build() {
            return new BootState(vmmPc, cur, freeAt, copied, zone, tries, sipis, status, work,
                    mem, handoff, readyFlag, ipi, ap, lateBy, starts);
        }
    }

    static <T> List<T> set(List<T> s, int i, T x) {
        List<T> r = new ArrayList<>(s);
        r.set(i, x);
        return r;
    }
}
