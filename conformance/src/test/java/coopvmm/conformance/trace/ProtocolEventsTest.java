package coopvmm.conformance.trace;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The one-pass split gives each protocol exactly the events its own filter picks, in order. */
class ProtocolEventsTest {

    @Test
    void theSplitIsEachProtocolsOwnFilter() throws Exception {
        Path f = Files.createTempFile("coop-split", ".trace");
        try (InputStream in = ReplayWarmUp.class.getResourceAsStream(ReplayWarmUp.RESOURCES.get(0));
             GZIPInputStream z = new GZIPInputStream(in)) {
            Files.write(f, z.readAllBytes());
            Trace t = Trace.read(f);
            ProtocolEvents own = ProtocolEvents.of(t);
            assertFalse(own.boot().isEmpty() || own.irq().isEmpty(), "the bundled run has boot and routing events");
            assertEquals(BootReplay.events(t), own.boot());
            assertEquals(IrqReplay.events(t), own.irq());
            assertEquals(GuestIoReplay.events(t), own.guestIo());
            assertEquals(MgmtRingReplay.events(t), own.mgmt());
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
