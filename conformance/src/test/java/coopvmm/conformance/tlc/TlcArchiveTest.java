package coopvmm.conformance.tlc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive of TLC's classes is mapped only while nothing it was made from has changed. */
class TlcArchiveTest {

    @Test
    void aGoodArchiveIsMappedAndAStaleOrCutOneIsNot(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("tlatools.jar"), new byte[1000]);
        Path file = Files.write(dir.resolve("tlc-child.jsa"), new byte[4096]);
        TlcArchive a = new TlcArchive(jar, file);
        assertFalse(a.valid(), "no key yet");
        a.writeKey();
        assertTrue(a.valid());
        assertTrue(a.options(dir.resolve("x.classes")).contains("-XX:SharedArchiveFile=" + file));

        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(2048);                       // a cut archive: JDK 17 would crash on it
        }
        assertFalse(a.valid(), "a cut archive");
        a.writeKey();
        assertTrue(a.valid());

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        assertFalse(a.valid(), "the jar changed since");
        Path classes = dir.resolve("y.classes");
        assertEquals(List.of("-XX:DumpLoadedClassList=" + classes), a.options(classes), "a stale archive is made again");
        assertEquals(List.of(), a.options(dir.resolve("z.classes")), "by one run of this JVM only");
    }

    @Test
    void aRecordedClassListBecomesAnArchiveThatTheJvmMaps(@TempDir Path dir) throws Exception {
        Path jar = TlcRunner.tlaToolsJar();
        Path file = dir.resolve("tlc-child.jsa");
        TlcArchive a = new TlcArchive(jar, file);
        Path classes = dir.resolve("run.classes");
        Process p = new ProcessBuilder(TlcArchive.java(), "-XX:DumpLoadedClassList=" + classes, "-cp", jar.toString(),
                "tlc2.TLC", "-help").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();                                  // TLC's exit code for -help does not matter here
        assertTrue(Files.size(classes) > 0);
        a.made(classes);
        assertTrue(a.valid(), "archive and key in place");
        assertFalse(Files.exists(classes), "the class list is removed");

        Process q = new ProcessBuilder(TlcArchive.java(), "-Xshare:on", "-XX:SharedArchiveFile=" + file, "-cp",
                jar.toString(), "tlc2.TLC", "-help").redirectErrorStream(true).start();
        String out = new String(q.getInputStream().readAllBytes());
        q.waitFor();
        assertFalse(out.contains("Unable to use shared archive"), out);   // -Xshare:on fails rather than run without it
    }
}
