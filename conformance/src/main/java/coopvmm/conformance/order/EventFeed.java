package coopvmm.conformance.order;

import coopvmm.conformance.trace.TraceEvent;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The records of a replay made on a second thread, a batch ahead of the replay: making a trace
 * event (its arrays, its names) is a quarter of a v2 replay's time, and the replay runs on one
 * core while the other is idle. The events come in the order of the given iterator, as they
 * would from it; the maker stops when {@link #close()}d (the replay stopped at a divergence) or
 * when the iterator is done. At most {@code QUEUED} batches wait: memory stays flat.
 */
final class EventFeed implements Iterator<TraceEvent>, AutoCloseable {

    private static final int QUEUED = 4;
    private static final TraceEvent[] END = new TraceEvent[0];

    private final BlockingQueue<TraceEvent[]> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread maker;
    private volatile boolean closed;
    private volatile Throwable failure;
    private TraceEvent[] batch = new TraceEvent[0];
    private int at;
    private boolean done;

    EventFeed(Iterator<TraceEvent> events, int batchSize) {
        maker = new Thread(() -> make(events, batchSize), "v2-replay-feed");
        maker.setDaemon(true);
        maker.start();
    }

    private void make(Iterator<TraceEvent> events, int batchSize) {
        try {
            boolean more = true;
            while (more && !closed) {
                TraceEvent[] b = new TraceEvent[batchSize];
                int n = 0;
                try {
                    while (n < batchSize && events.hasNext()) {
                        TraceEvent e = events.next();
                        b[n++] = e;
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;                      // thrown to the replay after the events before it
                }
                more = n == batchSize && failure == null;
                if (n < batchSize) b = Arrays.copyOf(b, n);
                if (n > 0) queue.put(b);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed: the replay takes no more
        }
    }

    @Override
    public boolean hasNext() {
        if (at < batch.length) return true;
        if (done) return false;
        try {
            batch = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        }
        at = 0;
        if (batch == END) {
            done = true;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw (RuntimeException) failure;
            return false;
        }
        return true;
    }

    @Override
    public TraceEvent next() {
        if (!hasNext()) throw new NoSuchElementException();
        TraceEvent e = batch[at];
        batch[at++] = null;                           // the replay keeps no event: neither does the batch
        return e;
    }

    /** Stops the maker (it may be blocked on a full queue). */
    @Override
    public void close() {
        closed = true;
        maker.interrupt();
    }
}
