package coopvmm.conformance.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written event-line scanner: what it accepts, and a located error for each way a
 * line can be garbled (the rules of docs/trace-format.md).
 */
class TraceParseTest {

    @Test
    void aLineParsesToItsFields() {
        TraceEvent e = Trace.parseEvent("12 1 18446744073709551615 iopm.consume iopm=0 id=7 cons=3", 40);
        assertEquals(40, e.line());
        assertEquals(12, e.seq());
        assertEquals(1, e.cpu());
        assertEquals(-1L, e.tsc(), "an unsigned 64-bit TSC");
        assertEquals("iopm.consume", e.name());
        assertSame("iopm.consume", e.name(), "names are interned");
        assertEquals(7, e.get("id"));
        assertEquals(3, e.get("cons"));
        assertTrue(e.has("iopm"));
        assertFalse(e.has("prod"));
        assertEquals(java.util.List.of("iopm", "id", "cons"), java.util.List.copyOf(e.fields().keySet()));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueAndTrailingSpacesEndNothing() {
        TraceEvent e = Trace.parseEvent("3 0 9 run.end a=1 a=2  ", 1);
        assertEquals(2, e.get("a"));
        assertEquals(1, e.fields().size());
        assertEquals(0, Trace.parseEvent("4 0 9 run.end", 1).fields().size());
    }

    @Test
    void eachGarbledFormIsALocatedError() {
        String[] bad = {
            "1 0 9",                       // no event name
            "1 x 9 run.end",               // cpu not a number
            "1  0 9 run.end",              // two spaces: an empty field
            "1 0 9 Run.end",               // upper case in the name
            "1 0 9 run",                   // a name without a family
            "1 0 9 run.end id",            // a field without =
            "1 0 9 run.end id=",           // no value
            "1 0 9 run.end id=-3",         // a sign
            "1 0 9 run.end 9d=3",          // a key starting with a digit
            "1 0 9 run.end id=99999999999999999999",   // out of range
        };
        for (String l : bad) {
            TraceFormatException x = assertThrows(TraceFormatException.class, () -> Trace.parseEvent(l, 77), l);
            assertEquals(77, x.line(), l + ": " + x.getMessage());
        }
    }
}
