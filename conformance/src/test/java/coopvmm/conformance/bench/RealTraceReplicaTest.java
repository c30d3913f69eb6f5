package coopvmm.conformance.bench;

import coopvmm.conformance.trace.ReplayWarmUp;
import coopvmm.conformance.trace.RingReplay;
import coopvmm.conformance.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's replicated real trace: each copy is the real channel's behaviour, so the whole conforms. */
class RealTraceReplicaTest {

    private static List<String> real() throws Exception {
        try (var z = new GZIPInputStream(ReplayWarmUp.bundledRingTrace())) {
            return new String(z.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
    }

    @Test
    void copiesOfTheRealChannelConformOnEveryChannel(@TempDir Path dir) throws Exception {
        List<String> real = real();
        Path one = dir.resolve("one.log"), three = dir.resolve("three.log");
        RealTraceReplica.Made m1 = RealTraceReplica.write(one, real, 1);
        RealTraceReplica.Made m3 = RealTraceReplica.write(three, real, 2L * m1.linesPerCopy() + 1);
        assertEquals(1, m1.copies());
        assertEquals(3, m3.copies());
        var r1 = RingReplay.replay(Trace.read(one));
        var r3 = RingReplay.replay(Trace.read(three));
        assertTrue(r3.conforms(), String.valueOf(r3.divergence()));
        assertEquals(3, r3.finals().size(), "a channel per copy");
        assertEquals(3 * r1.eventsChecked(), r3.eventsChecked());
        for (var e : r1.coverage().entrySet()) assertEquals(3 * e.getValue(), r3.coverage().get(e.getKey()), e.getKey().tla());
        Trace t = Trace.read(three);
        assertEquals(3, t.iopms());
        assertTrue(Files.readString(three).contains(" run.end status=0 requests=1800 "), "run.end counts every copy's requests");
    }

    @Test
    void aTraceWithoutItsRunEndIsRefused(@TempDir Path dir) throws Exception {
        List<String> cut = real().stream().filter(l -> !l.contains(" run.end ")).toList();
        assertThrows(IllegalArgumentException.class, () -> RealTraceReplica.write(dir.resolve("x.log"), cut, 1));
    }

    @Test
    void aTraceOfSeveralChannelsIsRefused(@TempDir Path dir) {
        List<String> two = List.of("# coop-trace v=1 build=ref cpus=3 iopms=2 ring_slots=16 slot_size=64 scenario=ring seed=1",
                "0 0 10 run.start requests=1", "1 0 20 vmm.write_request iopm=1 id=1 pvt=1", "2 0 30 run.end status=0");
        assertThrows(IllegalArgumentException.class, () -> RealTraceReplica.write(dir.resolve("x.log"), two, 1));
    }
}
