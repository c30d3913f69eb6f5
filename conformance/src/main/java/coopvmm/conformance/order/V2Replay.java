package coopvmm.conformance.order;

import coopvmm.conformance.trace.Replay;
import coopvmm.conformance.trace.RingReplay;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingState;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The order {@link OrderCheck} rebuilt, replayed through the ring model by the one replay
 * engine ({@link Replay}, {@link RingReplay}), as a v1 trace is: each record is checked at its
 * linearization point against the model's state (its guard, the ids it read, the indexes and
 * the notify and sleep decisions it took). Records are made one at a time: memory does not
 * grow with the trace.
 */
public final class V2Replay {

    /** The replay's verdict: ok, or the first divergence located in its log. */
    public record Verdict(boolean ok, String text, int eventsChecked, Map<RingAction, Integer> coverage, long nanos) {}

    private V2Replay() {}

    /** Orders this long are replayed with their events made on a second thread ({@link EventFeed}); shorter ones are not worth a thread. */
    static final long FEED_FROM = 50_000;
    private static final int FEED_BATCH = 2048;

    public static Verdict ring(OrderResult r) {
        if (!r.ok()) throw new IllegalArgumentException("no order to replay: " + r.verdict());
        return ring(r.trace(), r.eventOrder(), r.partial() ? " (partial: " + String.join("; ", r.partialWhy()) + ")" : "");
    }

    /** The records of {@code t} in {@code order}; {@code partial} is said after the verdict. */
    static Verdict ring(V2Trace t, Interleaving order, String partial) {
        return ring(t, order, partial, order.size() >= FEED_FROM && Runtime.getRuntime().availableProcessors() > 1);
    }

    /** {@code feed}: the events made on a second thread ({@link EventFeed}); the same verdict either way. */
    static Verdict ring(V2Trace t, Interleaving order, String partial, boolean feed) {
        int slots = Integer.parseInt(t.header() == null ? "16" : t.header().getOrDefault("ring_slots", "16"));
        long t0 = System.nanoTime();
        Replay.Result<RingState, RingAction> res;
        if (feed) {
            try (EventFeed f = new EventFeed(events(t, order), FEED_BATCH)) {
                res = Replay.run(new RingReplay(slots), () -> f);
            }
        } else {
            res = Replay.run(new RingReplay(slots), () -> events(t, order));
        }
        long nanos = System.nanoTime() - t0;
        if (res.divergence() != null) {
            var d = res.divergence();
            V2Event e = at(t, order, d.event().seq());
            return new Verdict(false, String.format(Locale.ROOT, "replay: %s (%s, cpu %d seq %d), record %,d of the order:"
                            + " %s%s", e.name(), e.where(), e.cpu(), e.seq(), d.event().seq() + 1, d.expected(), partial),
                    res.eventsChecked(), res.coverage(), nanos);
        }
        if (!res.endFailures().isEmpty())
            return new Verdict(false, "replay: at the end: " + String.join("; ", res.endFailures()) + partial,
                    res.eventsChecked(), res.coverage(), nanos);
        return new Verdict(true, String.format(Locale.ROOT, "replay: %,d ring events conform to CoopRing%s%s",
                res.eventsChecked(), res.partial() ? ", the logs have no run.end: partial" : "", partial),
                res.eventsChecked(), res.coverage(), nanos);
    }

    /** Every record of {@code r}'s order as a trace event, in that order (for the scenario checks of a v2 run). */
    public static java.util.List<TraceEvent> ordered(OrderResult r) {
        if (!r.ok()) throw new IllegalArgumentException("no order: " + r.verdict());
        java.util.List<TraceEvent> out = new java.util.ArrayList<>();
        events(r.trace(), r.eventOrder()).forEachRemaining(out::add);
        return out;
    }

    /** The records in {@code order} as trace events; an event's seq is its position in the order. */
    static Iterator<TraceEvent> events(V2Trace t, Interleaving order) {
        return new Iterator<>() {
            final int[] next = new int[t.cpuCount()];
            final FieldKeys keys = new FieldKeys(t.symbols);
            int run = 0, left = order.runs() > 0 ? order.runLength(0) : 0;
            long pos = 0;

            @Override
            public boolean hasNext() {
                while (left == 0 && run + 1 < order.runs()) left = order.runLength(++run);
                return left > 0;
            }

            @Override
            public TraceEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                int c = order.runCpuIndex(run);
                left--;
                return record(t, keys, c, next[c]++, pos++);
            }
        };
    }

    private static TraceEvent record(V2Trace t, FieldKeys keys, int c, int i, long pos) {
        CpuLog l = t.log(c);
        int f0 = l.fieldStart[i], f1 = l.fieldStart[i + 1];
        String[] k = keys.of(l.name[i], l.fieldKey, f0, f1);
        int late = lateRead(t, l, i);
        long[] v = Arrays.copyOfRange(l.fieldVal, f0, late < 0 ? f1 : f1 + 1);
        if (late >= 0) {
            // the bound it read goes to the replay, which checks it (RingReplay): the order does not
            k = keys.plus(l.name[i], k, "r:" + t.words.name(l.word[late]));
            v[f1 - f0] = l.value[late];
        }
        return TraceEvent.of(l.line[i], pos, l.cpu, 0, t.symbols.name(l.name[i]), k, v);
    }

    /** The access of record {@code i} that reads a peer's consumer index, which may be late ({@link Words#lags}), or -1. */
    private static int lateRead(V2Trace t, CpuLog l, int i) {
        for (int a = l.accStart[i], end = l.accStart[i + 1]; a < end; a++)
            if (l.kind[a] == Access.READ && t.words.lags(l.word[a])) return a;
        return -1;
    }

    /** The record at position {@code pos} of the order (a walk: only for a message). */
    private static V2Event at(V2Trace t, Interleaving order, long pos) {
        int[] next = new int[t.cpuCount()];
        long p = 0;
        for (int r = 0; r < order.runs(); r++) {
            int c = order.runCpuIndex(r), len = order.runLength(r);
            if (pos < p + len) return t.event(c, next[c] + (int) (pos - p));
            next[c] += len;
            p += len;
        }
        throw new IllegalArgumentException("no record at " + pos);
    }
}
