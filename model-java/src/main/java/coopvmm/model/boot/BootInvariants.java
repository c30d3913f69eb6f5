package coopvmm.model.boot;

import coopvmm.model.boot.BootState.Content;
import coopvmm.model.boot.BootState.Handoff;
import coopvmm.model.boot.BootState.Zone;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The safety invariants of {@code BootHandoff.tla}, same names, as Java predicates. */
public final class BootInvariants {

    private static final Set<String> KINDS = Set.of("rm", "pm", "data");

    private final BootConfig c;
    private final Boot boot;        // for HandoffOf

    public BootInvariants(BootConfig config) {
        this.c = config;
        this.boot = new Boot(config);
    }

    public boolean typeOK(BootState s) {
        int n = c.numAps();
        if (s.cur() < 1 || s.cur() > n + 1) return false;
        if (s.freeAt() < c.firstFree() || s.freeAt() > c.memTop()) return false;
        if (s.copied() < 0 || s.copied() > c.pmSize() - 1) return false;
        if (s.zone().size() != n || s.tries().size() != n || s.sipis().size() != n
                || s.status().size() != n || s.work().size() != n || s.handoff().size() != n
                || s.readyFlag().size() != n || s.ipi().size() != n || s.ap().size() != n
                || s.lateBy().size() != n || s.starts().size() != n) return false;
        if (s.mem().size() != c.memTop()) return false;
        for (int a = 1; a <= n; a++) {
            Zone z = s.zoneOf(a);
            Handoff h = s.handoffOf(a);
            if (z.lo() < 0 || z.hi() < 0 || h.entry() < 0 || h.lo() < 0 || h.hi() < 0 || h.shared() < 0)
                return false;
            if (s.triesOf(a) < 0 || s.triesOf(a) > c.maxTries()) return false;
            if (s.sipisOf(a) < 0 || s.sipisOf(a) > 2 * c.maxTries()) return false;
            if (s.workOf(a) < 0 || s.workOf(a) > c.maxWork()) return false;
            if (s.lateByOf(a) < 0 || s.lateByOf(a) > c.slowBy()) return false;
            if (s.startsOf(a) < 0) return false;
        }
        for (Content x : s.mem()) {
            boolean plain = x.equals(Content.BIOS) || x.equals(Content.VMM) || x.equals(Content.SHARED)
                    || x.equals(Content.FREE);
            boolean owned = KINDS.contains(x.kind()) && x.owner() >= 1 && x.owner() <= n;
            if (!plain && !owned) return false;
        }
        return true;
    }

    /** Zones never overlap one another, the VMM zone, the shared zone or low memory. */
    public boolean zonesDisjoint(BootState s) {
        int n = c.numAps();
        for (int a = 1; a <= n; a++) {
            Zone z = s.zoneOf(a);
            if (z.equals(Zone.NONE)) continue;
            if (z.lo() < c.oneMiB() || z.lo() >= z.hi() || z.hi() > c.memTop()) return false;
            for (int u = z.lo(); u < z.hi(); u++)
                if (c.inVmmZone(u) || u == c.sharedAt()) return false;
        }
        for (int a = 1; a <= n; a++)
            for (int b = 1; b <= n; b++) {
                if (a == b) continue;
                Zone x = s.zoneOf(a), y = s.zoneOf(b);
                if (Math.max(x.lo(), y.lo()) < Math.min(x.hi(), y.hi())) return false;
            }
        return true;
    }

    /** Nothing is ever laid over the VMM. */
    public boolean vmmZoneIntact(BootState s) {
        for (int u = c.oneMiB(); u < c.vmmEnd(); u++) if (!s.mem().get(u).equals(Content.VMM)) return false;
        return true;
    }

    /** {@code HandoffComplete(a)}: the block holds {@code HandoffOf(a)}. */
    public boolean handoffComplete(BootState s, int a) {
        return s.handoffOf(a).equals(boot.handoffOf(s, a));
    }

    public boolean handoffBeforeSipi(BootState s) {
        for (int a = 1; a <= c.numAps(); a++) if (s.sipisOf(a) > 0 && !handoffComplete(s, a)) return false;
        return true;
    }

    /** {@code RmLaid(a)}. */
    public boolean rmLaid(BootState s, int a) {
        return s.mem().get(c.rmAt(a)).equals(Content.rm(a));
    }

    /** {@code PmLaid(a)}: a VMM AP's protected-mode code is the VMM's own. */
    public boolean pmLaid(BootState s, int a) {
        if (c.vmmAp(a)) return vmmZoneIntact(s);
        Zone z = s.zoneOf(a);
        if (z.equals(Zone.NONE)) return false;
        for (int k = 0; k < c.pmSize(); k++) {
            int u = z.lo() + k;
            if (u >= s.mem().size() || !s.mem().get(u).equals(Content.pm(a))) return false;
        }
        return true;
    }

    public boolean laidBeforeStart(BootState s) {
        for (int a = 1; a <= c.numAps(); a++)
            if (s.sipisOf(a) > 0 && !(rmLaid(s, a) && pmLaid(s, a))) return false;
        return true;
    }

    public boolean neverRunsUnlaidCode(BootState s) {
        for (int a = 1; a <= c.numAps(); a++) {
            if (s.apOf(a).running() && !rmLaid(s, a)) return false;
            if ((s.apOf(a).inIopm() || s.apOf(a) == ApState.VMM) && !pmLaid(s, a)) return false;
        }
        return true;
    }

    public boolean iopmWritesConfined(BootState s) {
        for (int u = 0; u < s.mem().size(); u++) {
            Content x = s.mem().get(u);
            if (x.kind().equals("data") && !(x.owner() >= 1 && x.owner() <= c.numAps()
                    && s.zoneOf(x.owner()).contains(u))) return false;
        }
        return true;
    }

    public boolean oneInstancePerAp(BootState s) {
        for (int a = 1; a <= c.numAps(); a++) if (s.startsOf(a) > 1) return false;
        return true;
    }

    public boolean noWorkBeforeReady(BootState s) {
        for (int a = 1; a <= c.numAps(); a++)
            if (s.workOf(a) > 0 && s.apOf(a) != ApState.READY) return false;
        return true;
    }

    public boolean failedIsDown(BootState s) {
        for (int a = 1; a <= c.numAps(); a++) {
            ApState x = s.apOf(a);
            if (s.statusOf(a) == ApStatus.FAILED
                    && x != ApState.RESET && x != ApState.WAIT_SIPI && x != ApState.FAULTED) return false;
        }
        return true;
    }

    /**
     * {@code EachApItsRole}: a VMM AP never enters an IOPM, gets no zone and no ring work; an
     * IOPM's AP never enters the VMM.
     */
    public boolean eachApItsRole(BootState s) {
        for (int a = 1; a <= c.numAps(); a++) {
            if (c.vmmAp(a)) {
                if (s.apOf(a).inIopm() || !s.zoneOf(a).equals(Zone.NONE) || s.workOf(a) != 0) return false;
            } else if (s.apOf(a) == ApState.VMM) {
                return false;
            }
        }
        return true;
    }

    /** The names of the invariants {@code s} violates, in the order of {@code BootHandoff.cfg}. */
    public List<String> violated(BootState s) {
        List<String> v = new ArrayList<>();
        if (!typeOK(s)) {
            v.add("TypeOK");
            return v; // the others read the state's shape
        }
        if (!zonesDisjoint(s)) v.add("ZonesDisjoint");
        if (!vmmZoneIntact(s)) v.add("VmmZoneIntact");
        if (!handoffBeforeSipi(s)) v.add("HandoffBeforeSipi");
        if (!laidBeforeStart(s)) v.add("LaidBeforeStart");
        if (!neverRunsUnlaidCode(s)) v.add("NeverRunsUnlaidCode");
        if (!iopmWritesConfined(s)) v.add("IopmWritesConfined");
        if (!oneInstancePerAp(s)) v.add("OneInstancePerAp");
        if (!noWorkBeforeReady(s)) v.add("NoWorkBeforeReady");
        if (!failedIsDown(s)) v.add("FailedIsDown");
        if (!eachApItsRole(s)) v.add("EachApItsRole");
        return v;
    }
}
