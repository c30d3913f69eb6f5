package coopvmm.conformance.order;

import coopvmm.conformance.trace.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events made on a second thread come in their order, all of them; a stopped replay stops the maker; a failure reaches the replay. */
class EventFeedTest {

    /** Events 0, 1, 2, ... (their seq), {@code n} of them (-1: no end), failing after {@code failAt} (-1: never). */
    static Iterator<TraceEvent> events(long n, long failAt) {
        return new Iterator<>() {
            long i;

            @Override
            public boolean hasNext() {
                return n < 0 || i < n;
            }

            @Override
            public TraceEvent next() {
                if (i == failAt) throw new IllegalStateException("broken at " + i);
                return TraceEvent.of(1, i++, 0, 0, "vmm.see_idle", new String[]{"iopm"}, new long[]{0});
            }
        };
    }

    @Test
    void everyEventInItsOrder() {
        for (int n : new int[]{0, 1, 6, 7, 8, 10_000}) {
            try (EventFeed f = new EventFeed(events(n, -1), 7)) {
                for (int i = 0; i < n; i++) {
                    assertTrue(f.hasNext());
                    assertEquals(i, f.next().seq());
                }
                assertFalse(f.hasNext());
                assertFalse(f.hasNext());
                assertThrows(NoSuchElementException.class, f::next);
            }
        }
    }

    @Test
    void closingStopsTheMakerOfAnEndlessFeed() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            EventFeed f = new EventFeed(events(-1, -1), 16);
            for (int i = 0; i < 100; i++) assertEquals(i, f.next().seq());
            f.close();
        });
    }

    @Test
    void aFailureOfTheMakerReachesTheReplayAfterTheEventsBeforeIt() {
        try (EventFeed f = new EventFeed(events(1000, 20), 8)) {
            for (int i = 0; i < 20; i++) assertEquals(i, f.next().seq());
            IllegalStateException x = assertThrows(IllegalStateException.class, f::hasNext);
            assertEquals("broken at 20", x.getMessage());
        }
    }
}
