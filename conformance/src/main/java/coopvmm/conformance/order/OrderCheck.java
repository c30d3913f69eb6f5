package coopvmm.conformance.order;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-CPU (v2) logs in, a verdict out: read ({@link PerCpuTraceReader}), reads-from
 * ({@link ReadsFrom}), an order of the accesses ({@link OrderBuilder}; none: the cycle,
 * {@link CycleFinder}, and what it means, {@link CycleClassifier}), then the records at their
 * linearization points ({@link Linearization}), the order handed on for replay through the
 * models. The time boxes are not used (see {@link PerCpuTraceReader}).
 *
 * <p>{@code main}: {@code OrderCheck FILE...} prints the verdict (and the cycle) and exits with
 * {@link OrderResult#exitCode()}.
 */
public final class OrderCheck {

    private OrderCheck() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: OrderCheck FILE... (trace format v2, per-CPU logs)");
            System.exit(2);
        }
        OrderResult r = check(Arrays.stream(args).map(Path::of).toList());
        System.out.println(r.report());
        System.out.println("  " + r.figures());
        System.exit(r.exitCode());
    }

    public static OrderResult check(Path... files) {
        return check(Arrays.asList(files));
    }

    public static OrderResult check(List<Path> files) {
        long t0 = System.nanoTime();
        V2Trace t;
        try {
            t = PerCpuTraceReader.readParallel(files);
        } catch (IOException e) {
            V2TraceException x = new V2TraceException(null, 0, -1, -1, "cannot read the logs: " + e, true);
            return error(null, x, new OrderResult.Figures(0, 0, System.nanoTime() - t0, 0, 0, 0, 0));
        }
        return check(t, System.nanoTime() - t0);
    }

    /** Files given as (name, text) pairs (tests). */
    public static OrderResult checkText(String... nameAndText) {
        long t0 = System.nanoTime();
        PerCpuTraceReader r = new PerCpuTraceReader();
        for (int i = 0; i + 1 < nameAndText.length; i += 2) r.addText(nameAndText[i], nameAndText[i + 1]);
        return check(r.finish(), System.nanoTime() - t0);
    }

    /** Checks records already read ({@code readNanos}: how long that took, for the figures). */
    public static OrderResult check(V2Trace t, long readNanos) {
        long events = t.events(), accesses = t.accesses();
        if (t.error() != null)
            return error(t, t.error(), new OrderResult.Figures(events, accesses, readNanos, 0, 0, 0, 0));
        long t1 = System.nanoTime();
        ReadsFrom rf = ReadsFrom.of(t);
        long rfNanos = System.nanoTime() - t1;
        if (rf.error() != null)
            return error(t, rf.error(), new OrderResult.Figures(events, accesses, readNanos, rfNanos, 0, 0, 0));
        List<String> why = new ArrayList<>(t.partialReasons());
        why.addAll(rf.partialReasons());
        boolean partial = !why.isEmpty();
        String partialText = partial ? "; partial: " + String.join("; ", why) : "";
        String on = String.format(Locale.ROOT, "%,d events on %d CPU%s", events, t.cpuCount(), t.cpuCount() == 1 ? "" : "s");

        long t2 = System.nanoTime();
        OrderBuilder.Result acc = OrderBuilder.build(t, rf);
        long orderNanos = System.nanoTime() - t2;
        if (!acc.ok()) {
            long t3 = System.nanoTime();
            Cycle cycle = CycleFinder.accesses(t, rf, acc);
            CycleClassifier.Classification cls = CycleClassifier.classify(t, rf, cycle);
            long classify = System.nanoTime() - t3;
            return new OrderResult(OrderResult.Outcome.CYCLE, "order: no sequentially consistent order: " + cls.text()
                    + partialText, "cycle: " + cycle + "\n" + cycle.toLines(), partial, List.copyOf(why), t.cpuCount(),
                    events, accesses, cycle, cls, null, t, null,
                    new OrderResult.Figures(events, accesses, readNanos, rfNanos, orderNanos, 0, classify));
        }
        long t4 = System.nanoTime();
        Interleaving order = Linearization.withinCuts(t, rf, Linearization.of(t, acc.order()));
        long eventNanos = System.nanoTime() - t4;
        String verdict = "order: " + on + " rebuilt, sequentially consistent" + (partial
                ? String.format(Locale.ROOT, " as far as the logs go (%,d events ordered)", order.size()) + partialText : "");
        return new OrderResult(OrderResult.Outcome.SEQUENTIALLY_CONSISTENT, verdict, partial ? String.join("\n", why) : "",
                partial, List.copyOf(why), t.cpuCount(), events, accesses, null, null, null, t, order,
                new OrderResult.Figures(events, accesses, readNanos, rfNanos, orderNanos, eventNanos, 0));
    }

    private static OrderResult error(V2Trace t, V2TraceException x, OrderResult.Figures f) {
        List<String> why = t == null ? List.of() : t.partialReasons();
        return new OrderResult(OrderResult.Outcome.ERROR, "order: error: " + x.getMessage(), "", !why.isEmpty(), why,
                t == null ? 0 : t.cpuCount(), f.events(), f.accesses(), null, null, x, t, null, f);
    }
}
