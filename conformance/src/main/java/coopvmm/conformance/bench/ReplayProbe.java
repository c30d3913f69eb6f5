package coopvmm.conformance.bench;

import coopvmm.conformance.trace.RingReplay;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * One measurement, in a JVM of its own (so that its heap limit is the one under test): replays
 * a trace's ring events into the model as they are read ({@link RingReplay#replayStream}),
 * then prints one line {@code events seconds peak_heap_bytes verdict}. An
 * {@link OutOfMemoryError} prints {@code oom} and exits 3.
 */
public final class ReplayProbe {

    private ReplayProbe() {
    }

    public static void main(String[] args) throws Exception {
        try {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            long t0 = System.nanoTime();
            var r = RingReplay.replayStream(Path.of(args[0]));
            long t1 = System.nanoTime();
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
                if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
            System.out.println(r.eventsChecked() + " " + (t1 - t0) / 1e9 + " " + peak + " "
                    + (r.conforms() ? "conforms" : "FAILS"));
        } catch (OutOfMemoryError e) {
            System.out.println("oom");
            System.exit(3);
        }
    }
}
