package coopvmm.model.ring;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A data area is a value: a write gives a new one and leaves the old as it was; equal to any list of the same ids. */
class SlotsTest {

    @Test
    void aWriteLeavesTheOldValue() {
        Slots empty = Slots.empty(4);
        Slots one = empty.with(2, 7);
        assertEquals(List.of(0, 0, 0, 0), empty);
        assertEquals(List.of(0, 0, 7, 0), one);
        assertEquals(7, one.getInt(2));
        assertNotEquals(empty, one);
        assertEquals(List.of(0, 0, 7, 0).hashCode(), one.hashCode());
    }

    @Test
    void ofKeepsSlotsAndCopiesOtherLists() {
        Slots s = Slots.of(List.of(1, 2));
        assertSame(s, Slots.of(s));
        assertEquals(List.of(1, 2), s);
    }
}
