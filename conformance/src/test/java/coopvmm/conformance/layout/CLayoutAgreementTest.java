package coopvmm.conformance.layout;

import coopvmm.conformance.Repo;
import coopvmm.model.zone.SharedZoneLayout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C side's shared-zone layout (reference-vmm/include/shared_zone.h, as the compiler lays
 * it out) equals the Java side's (SharedZoneLayout, itself checked against
 * docs/shared-zone.md by SharedZoneLayoutTest): the doc, Java and C cannot drift apart.
 */
class CLayoutAgreementTest {

    /** What the C program prints, name -> value. */
    static Map<String, Long> cLayout() throws Exception {
        Repo repo = Repo.locate();
        Path vmm = repo.root().resolve("reference-vmm");
        Path exe = Files.createTempDirectory("layout").resolve("layout_dump");
        Process cc = new ProcessBuilder("gcc", "-DRING_HOST", "-I" + vmm.resolve("include"),
                vmm.resolve("tests/layout_dump.c").toString(), "-o", exe.toString()).inheritIO().start();
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc builds tests/layout_dump.c");
        Process run = new ProcessBuilder(exe.toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0);
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] w = line.split(" ");
            if (w.length == 2) m.put(w[0], Long.parseLong(w[1]));
        }
        return m;
    }

    /** The Java value for each name the C program prints; mismatches as readable lines. */
    static List<String> mismatches(Map<String, Long> c) throws Exception {
        List<String> bad = new ArrayList<>();
        for (var e : c.entrySet()) {
            long java = switch (e.getKey()) {
                case "CHANNEL_0" -> SharedZoneLayout.channelOffset(0);
                case "RSP_RING_OFFSET" -> SharedZoneLayout.rspRingOffset();
                case "ZONE_MAGIC", "CHANNEL_MAGIC" -> Integer.toUnsignedLong(
                        SharedZoneLayout.class.getField(e.getKey()).getInt(null));
                default -> SharedZoneLayout.class.getField(e.getKey()).getInt(null);
            };
            if (java != e.getValue()) bad.add(e.getKey() + ": C " + e.getValue() + ", Java " + java);
        }
        return bad;
    }

    @Test
    void cAndJavaLayTheZoneOutAlike() throws Exception {
        Map<String, Long> c = cLayout();
        assertTrue(c.size() >= 25, "the C side printed its layout: " + c.keySet());
        assertEquals(List.of(), mismatches(c));
    }

    @Test
    void aShiftedFieldIsCaught() throws Exception {
        Map<String, Long> c = cLayout();
        c.put("REQ_CONS", c.get("REQ_CONS") + 4);
        List<String> bad = mismatches(c);
        assertEquals(1, bad.size(), bad::toString);
        assertTrue(bad.get(0).startsWith("REQ_CONS"), bad::toString);
    }
}
