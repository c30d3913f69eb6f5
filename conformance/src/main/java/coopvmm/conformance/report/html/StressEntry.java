package coopvmm.conformance.report.html;

import java.nio.file.Path;
import java.util.List;

/**
 * One campaign of {@code ./coop stress ring} (the reference ring or one mutant) as the reports
 * need it: a row per round and, for the round that failed, what to draw. Small on purpose: the
 * failing round's logs (millions of records) are not kept in memory, only the diagram cut from
 * them ({@link StressLanes}), so {@code --all-mutants} can hold one entry per mutant.
 *
 * @param mutant       the mutant of reference-vmm/mutants.txt, or null for the reference ring
 * @param rounds       the rounds run, in order
 * @param failure      the failing round, or null when every round held
 * @param reproduce    the command that reruns this campaign
 * @param wallSeconds  start to the end (or to the detection)
 * @param exit         0 holds, 1 a round fails, 2 environment
 * @param harness      the host harness binary (for its SHA-256), or null
 */
public record StressEntry(String mutant, List<Round> rounds, Failure failure, String reproduce, double wallSeconds, int exit,
                          Path harness) {

    public boolean caught() {
        return failure != null && exit == 1;
    }

    public boolean isError() {
        return exit == 2;
    }

    /** The campaign's name in tables: the mutant, or {@code reference}. */
    public String name() {
        return mutant == null ? "reference" : mutant;
    }

    public long answered() {
        return rounds.stream().mapToLong(Round::answered).sum();
    }

    public long events() {
        return rounds.stream().mapToLong(Round::events).sum();
    }

    public double trafficSeconds() {
        return rounds.stream().mapToDouble(Round::trafficSeconds).sum();
    }

    public double checkSeconds() {
        return rounds.stream().mapToDouble(Round::checkSeconds).sum();
    }

    /**
     * One round, as {@code ./coop stress} prints it.
     *
     * @param verdict {@code holds}, {@code fails} or {@code error}
     * @param finding the first line of what failed, or null
     * @param dir     the round's folder while it exists (kept: a failing round, or {@code --keep}), else null
     */
    public record Round(int round, long requests, long answered, double trafficSeconds, long events, double checkSeconds,
                        String verdict, String finding, Path dir) {
        public boolean holds() {
            return verdict.equals("holds");
        }

        public double requestsPerSecond() {
            return trafficSeconds <= 0 ? 0 : answered / trafficSeconds;
        }

        public double eventsPerSecond() {
            return checkSeconds <= 0 ? 0 : events / checkSeconds;
        }
    }

    /** What failed in a round. */
    public enum Kind {
        /** The order check found a po/rf/fr cycle. */
        CYCLE,
        /** The replay of the rebuilt order diverged at a record. */
        DIVERGENCE,
        /** Anything else: a stall, wrong responses, a broken log rule, the replay's end checks, the harness. */
        OTHER
    }

    /**
     * @param round           its number
     * @param kind            what failed
     * @param text            the verdict, whole (the cycle step by step, or the divergence)
     * @param dir             the round's folder (its logs are kept)
     * @param diagram         the lane diagram (the cycle, or the records before the divergent one), or null
     * @param classification  a cycle's kind and TSO reading ("store-buffering cycle, TSO-consistent"), or null
     * @param reading         what the classification says of it ("a full barrier is missing between ..."), or null
     * @param missingBarriers each write-read pair of the cycle with no full barrier between (TSO-consistent cycles)
     * @param cycleSteps      the cycle, one step a line with its edge to the next, or empty
     * @param focusLine       the divergent record, located ("cpu 0 seq 16 vmm.write_request at cpu0.log:18"), or null
     * @param expected        what the model expected there, or null
     * @param note            why nothing is drawn (or could not be), or null
     */
    public record Failure(int round, Kind kind, String text, Path dir, LaneDiagram diagram, String classification, String reading,
                          List<String> missingBarriers, List<String> cycleSteps, String focusLine, String expected,
                          String note) {
        /** The first line of the verdict. */
        public String headline() {
            return text.lines().findFirst().orElse("");
        }
    }
}
