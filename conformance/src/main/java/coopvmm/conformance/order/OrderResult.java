package coopvmm.conformance.order;

import java.util.List;

/**
 * What {@link OrderCheck} found.
 *
 * @param outcome        the verdict's kind
 * @param verdict        one line, e.g. "order: 1,234,567 events on 2 CPUs rebuilt, sequentially consistent"
 * @param details        more lines (the cycle step by step, the partial reasons), or ""
 * @param partial        some log was cut short (or reads saw beyond a cut): checked up to there
 * @param partialWhy     why, one reason a line
 * @param cpus           CPUs in the logs
 * @param events         records read
 * @param accesses       accesses read
 * @param cycle          the cycle when there is no order of accesses, else null
 * @param classification its kind and its x86-TSO reading, else null
 * @param error          the first format or rule error, else null
 * @param trace          the records read (up to the error, if any)
 * @param eventOrder     a total order of the records (without those beyond a cut), for replay; null unless ok
 * @param figures        counts and times
 */
public record OrderResult(Outcome outcome, String verdict, String details, boolean partial, List<String> partialWhy,
                          int cpus, long events, long accesses, Cycle cycle, CycleClassifier.Classification classification,
                          V2TraceException error, V2Trace trace,
                          Interleaving eventOrder, Figures figures) {

    public enum Outcome {
        /** An order of the accesses exists: the run is sequentially consistent (the records in it: {@link #eventOrder}). */
        SEQUENTIALLY_CONSISTENT,
        /** No order of the accesses: a po/rf/fr cycle. */
        CYCLE,
        /** The logs break the format or its rules. */
        ERROR
    }

    /** Counts and elapsed nanoseconds of each phase (0 for a phase not run). */
    public record Figures(long events, long accesses, long readNanos, long rfNanos, long orderNanos,
                          long eventOrderNanos, long classifyNanos) {
        public long totalNanos() {
            return readNanos + rfNanos + orderNanos + eventOrderNanos + classifyNanos;
        }

        static double perSecond(long n, long nanos) {
            return nanos <= 0 ? 0 : n * 1e9 / nanos;
        }

        @Override
        public String toString() {
            return String.format("%,d events, %,d accesses; read %.1f ms, rf %.1f ms, access order %.1f ms,"
                            + " linearization %.1f ms; %,.0f events/s end to end", events, accesses, readNanos / 1e6,
                    rfNanos / 1e6, orderNanos / 1e6, eventOrderNanos / 1e6, perSecond(events, totalNanos()));
        }
    }

    public boolean ok() {
        return outcome == Outcome.SEQUENTIALLY_CONSISTENT;
    }

    /** 0 consistent (partial or not), 1 a cycle or a rule broken, 2 a garbled or unreadable file. */
    public int exitCode() {
        return switch (outcome) {
            case SEQUENTIALLY_CONSISTENT -> 0;
            case CYCLE -> 1;
            case ERROR -> error == null ? 2 : error.exitCode();
        };
    }

    /** The verdict and its details. */
    public String report() {
        return details.isEmpty() ? verdict : verdict + "\n" + details;
    }
}
