package coopvmm.conformance.order;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long random SC ring exchange ({@link RingLogGenerator}) is accepted, with an order of every
 * record; one read made stale (a value written, but older than one the same CPU had already
 * read) is rejected with a cycle.
 */
class GeneratedLogTest {

    @Test
    void aLongRandomExchangeIsAcceptedAndOneStaleReadIsRejected() {
        String log = RingLogGenerator.text(40_000, 7, 4);
        OrderResult r = OrderCheck.checkText("gen.log", log);
        assertTrue(r.ok(), r.report());
        assertEquals(r.events(), r.eventOrder().size(), "every record ordered");
        assertTrue(r.events() >= 40_000);

        // the values the VMM wrote to req_prod
        TreeSet<Long> written = new TreeSet<>();
        Matcher w = Pattern.compile("^0 \\d+ \\S+ .*w:req_prod=(\\d+)", Pattern.MULTILINE).matcher(log);
        while (w.find()) written.add(Long.parseLong(w.group(1)));
        // an IOPM read of req_prod after the IOPM had seen a value p, made to read the write before p
        String[] lines = log.split("\n", -1);
        Pattern read = Pattern.compile("^1 (\\d+) .* r:req_prod=(\\d+)");
        long seen = -1;
        int at = -1;
        Long stale = null;
        for (int i = lines.length / 2; i < lines.length; i++) {
            Matcher m = read.matcher(lines[i]);
            if (!m.find()) continue;
            long v = Long.parseLong(m.group(2));
            if (seen >= 0 && written.lower(seen) != null && written.lower(seen) > 0) {
                at = i;
                stale = written.lower(seen);
                break;
            }
            seen = v;
        }
        assertNotNull(stale, "a read to corrupt");
        List<String> bad = new ArrayList<>(List.of(lines));
        bad.set(at, lines[at].replaceFirst("r:req_prod=\\d+", "r:req_prod=" + stale));
        OrderResult c = OrderCheck.checkText("gen.log", String.join("\n", bad));
        assertEquals(OrderResult.Outcome.CYCLE, c.outcome(), "line " + (at + 1) + ": " + c.report());
        assertTrue(c.cycle().toString().contains("r:req_prod=" + stale), c.cycle().toString());
        String where = "gen.log:" + (at + 1);
        assertTrue(c.cycle().steps().stream().anyMatch(s -> s.where().equals(where)), c.report());
    }
}
