package coopvmm.conformance.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a report needs to be reproduced: the repository's commit, TLC's version, the JVM. */
public final class Versions {

    private static final Pattern TLC = Pattern.compile("TLC2 Version ([^\\r\\n]+)");

    private Versions() {
    }

    /** commit (or null), tlc (or null), jvm. */
    public static Map<String, Object> of(Path repoRoot, Path tlcOutput) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("commit", gitCommit(repoRoot));
        v.put("tlc", tlcOutput == null ? null : tlcVersion(tlcOutput));
        v.put("jvm", jvm());
        return v;
    }

    public static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version")) + " (" + System.getProperty("java.vendor") + ")";
    }

    /** {@code git rev-parse HEAD}, or null: no git, not a checkout, or it took too long. */
    public static String gitCommit(Path root) {
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** "2.18 of 20 March 2023" from TLC's banner in a raw output file, or null. */
    public static String tlcVersion(Path tlcOutput) {
        if (tlcOutput == null || !Files.isRegularFile(tlcOutput)) return null;
        // The banner is in the first lines; reading a whole multi-gigabyte log is not needed.
        try (Stream<String> lines = Files.lines(tlcOutput, StandardCharsets.ISO_8859_1)) {
            return lines.limit(50).map(TLC::matcher).filter(Matcher::find).map(m -> m.group(1).strip())
                    .findFirst().orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /** The version of the TLC on this classpath (tlc2.TLCGlobals), when no TLC output says it. */
    public static String tlcOnClasspath() {
        try {
            Object v = Class.forName("tlc2.TLCGlobals").getField("versionOfTLC").get(null);
            return v == null ? null : v.toString().replaceFirst("^Version ", "").strip();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
