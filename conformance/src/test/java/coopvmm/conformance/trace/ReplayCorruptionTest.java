package coopvmm.conformance.trace;

import coopvmm.conformance.GuestRuns;
import coopvmm.conformance.Repo;
import coopvmm.conformance.cli.CliRunner;
import coopvmm.conformance.qemu.QemuRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop replay} on a real trace of the reference VMM, and on corrupted copies of it:
 * each corruption is caught, with the event number or line, and the right exit code.
 */
class ReplayCorruptionTest {

    static Path good;
    static Path dir;

    @BeforeAll
    static void bootOnce() throws Exception {
        dir = Files.createDirectories(Repo.locate().reports().resolve("test-replay"));
        QemuRun run = GuestRuns.boot("scenario=ring requests=60 seed=11", 2, dir.resolve("good"));
        assertEquals(QemuRun.Outcome.EXITED, run.outcome(), "the reference VMM boots and exits");
        assertEquals(0, run.guestStatus(), "the guest ends with status 0");
        good = run.trace();
    }

    static List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(good, StandardCharsets.ISO_8859_1));
    }

    static Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name + ".log");
        Files.write(p, lines, StandardCharsets.ISO_8859_1);
        return p;
    }

    /** The index of the first line with this event. */
    static int find(List<String> l, String event) {
        for (int i = 0; i < l.size(); i++) if (l.get(i).contains(" " + event + " ")) return i;
        throw new AssertionError("no " + event + " in the trace");
    }

    static String field(String line, String key, UnaryOperator<String> f) {
        StringBuilder b = new StringBuilder();
        for (String w : line.split(" ")) {
            if (b.length() > 0) b.append(' ');
            b.append(w.startsWith(key + "=") ? key + "=" + f.apply(w.substring(key.length() + 1)) : w);
        }
        return b.toString();
    }

    static long seqOf(String line) {
        return Long.parseLong(line.split(" ")[0]);
    }

    @Test
    void theGoodTraceConforms() {
        var r = CliRunner.run("replay", good.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("conforms"), r::toString);
    }

    @Test
    void aWrongIdIsCaughtByTheModelAndByTlc() throws Exception {
        List<String> l = lines();
        int i = find(l, "iopm.consume");
        l.set(i, field(l.get(i), "id", v -> Long.toString(Long.parseLong(v) + 1)));
        Path bad = write("wrong-id", l);
        var r = CliRunner.run("replay", bad.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("event #" + seqOf(l.get(i))), "names the event: " + r);
        assertTrue(r.out().contains("TLA+: channel 0 is not a CoopRing behaviour"), "TLC rejects it too: " + r);
    }

    @Test
    void aReorderedPairIsCaught() throws Exception {
        List<String> l = lines();
        int i = find(l, "vmm.publish_requests");
        int j = i + 1;
        while (!l.get(j).contains(" iopm.consume ")) j++;
        // Move the first consume before the publish that made it possible, renumbering.
        long base = seqOf(l.get(i));
        String consume = l.remove(j);
        l.add(i, consume);
        for (int k = i; k <= j; k++) l.set(k, (base + k - i) + " " + l.get(k).split(" ", 2)[1]);
        var r = CliRunner.run("replay", write("reordered", l).toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("event #" + base), "names the first bad event: " + r);
    }

    @Test
    void aLostEventIsAGapInTheSequence() throws Exception {
        List<String> l = lines();
        int i = find(l, "iopm.write_response");
        long seq = seqOf(l.get(i));
        l.remove(i);
        var r = CliRunner.run("replay", write("lost", l).toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("event #" + (seq + 1)) && r.err().contains("where " + seq + " was due"), r::toString);
    }

    @Test
    void aGarbledLineIsAnErrorNamingTheLine() throws Exception {
        List<String> l = lines();
        int i = find(l, "vmm.consume_response");
        l.set(i, "\u0001\u00ff garbage" + l.get(i).substring(5));
        var r = CliRunner.run("replay", write("garbled", l).toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains(":" + (i + 1) + ":"), "names the line: " + r);
    }

    @Test
    void anUnknownEventIsANonConformance() throws Exception {
        List<String> l = lines();
        int i = find(l, "iopm.consume");
        l.set(i, l.get(i).replace("iopm.consume", "iopm.frobnicate"));
        var r = CliRunner.run("replay", write("unknown", l).toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("iopm.frobnicate") && r.out().contains("event #" + seqOf(l.get(i))), r::toString);
    }

    @Test
    void anotherFormatVersionIsRefused() throws Exception {
        List<String> l = lines();
        int h = 0;
        while (!l.get(h).startsWith("# coop-trace")) h++;
        l.set(h, l.get(h).replace("v=1", "v=3"));    // v=2 is the lock-free build's, which replay reads too
        var r = CliRunner.run("replay", write("version", l).toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("version 3"), r::toString);
    }

    @Test
    void aCutTraceIsSaidToBePartial() throws Exception {
        List<String> l = lines();
        List<String> cut = new ArrayList<>(l.subList(0, l.size() / 2));
        var r = CliRunner.run("replay", write("cut", cut).toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("partial"), r::toString);
        assertFalse(r.out().contains("divergent"), "a cut is not a divergence: " + r);
    }
}
