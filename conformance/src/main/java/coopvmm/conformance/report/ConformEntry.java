package coopvmm.conformance.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One conformance run as the reports see it.
 *
 * @param verdict   "conforms", "fails" or "error" (environment: QEMU, image, garbled trace)
 * @param reasons   the reasons of a failure, one line each
 * @param events    events in the trace, -1 if it was never read
 * @param modelRate model replay events/s, -1 if unknown
 * @param tlaRate   TLC trace validation events/s, -1 if not run
 * @param dir       the run's folder (trace.log, serial.log, qemu.log)
 * @param detail    what the run printed (its table row, the divergence, the reasons)
 * @param facts     what the page shows of its trace (divergence, coverage, figures), or null (none read)
 */
public record ConformEntry(String scenario, int smp, long seed, String verdict, List<String> reasons, long events,
                           double seconds, double modelRate, double tlaRate, String reproduce, Path dir,
                           String detail, RunFacts facts) {

    /** A run with no trace facts. */
    public ConformEntry(String scenario, int smp, long seed, String verdict, List<String> reasons, long events,
                        double seconds, double modelRate, double tlaRate, String reproduce, Path dir, String detail) {
        this(scenario, smp, seed, verdict, reasons, events, seconds, modelRate, tlaRate, reproduce, dir, detail, null);
    }

    public boolean passed() {
        return verdict.equals("conforms");
    }

    /** What the checkers said first, as the run printed it: a divergence, a TLA+ rejection. */
    private static final Pattern FINDING = Pattern.compile("^  ((boot |routing )?model|TLA\\+|partial): .*");

    /**
     * The reasons and the checkers' findings: a divergence is printed by the run, not kept
     * among its reasons, and a failure with no reason is no help to whoever reads the report.
     */
    public List<String> findings() {
        List<String> all = new ArrayList<>(reasons);
        if (detail != null)
            for (String l : detail.split("\n"))
                if (FINDING.matcher(l).matches() && !all.contains(l.strip())) all.add(l.strip());
        return all;
    }

    public boolean isError() {
        return verdict.equals("error");
    }
}
