package coopvmm.conformance.report;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.html.CheckPage;
import coopvmm.conformance.report.html.ConformPage;
import coopvmm.conformance.report.html.StressEntry;
import coopvmm.conformance.report.html.StressPage;
import coopvmm.conformance.tlc.TlcResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports of a command, written at its end: summary.json, junit.xml and report.html. A
 * report that cannot be written is one warning line; it never changes the command's verdict or
 * exit code.
 */
public final class Reports {

    public static final String SUMMARY = "summary.json", JUNIT = "junit.xml", PAGE = "report.html";

    /** Writing some of the reports; what it throws is the warning. */
    private interface Writer {
        void write() throws IOException;
    }

    /**
     * summary.json and junit.xml, then the page apart (a page that fails still leaves the other
     * two), and one warning line whatever failed.
     */
    private static void write(Path dir, PrintStream warn, Writer data, Writer page) {
        Throwable first = attempt(data), second = attempt(page);
        if (first != null)
            warn.println("warning: could not write the reports (summary.json, junit.xml" + (second != null ? ", " + PAGE : "")
                    + ") in " + dir + ": " + first);
        else if (second != null) warn.println("warning: could not write " + PAGE + " in " + dir + ": " + second);
    }

    private static Throwable attempt(Writer w) {
        try {
            w.write();
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return e;
        }
    }

    private Reports() {
    }

    /**
     * A new folder under {@code parent} named by the time ({@code 20261203-071502-123}), made
     * here and by no one else: two runs started in the same millisecond (two JVMs of the test
     * suite, two users' commands) get {@code ...-123} and {@code ...-123-2}, not one folder.
     */
    public static Path newRunDir(Path parent, String suffix) throws IOException {
        Files.createDirectories(parent);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        for (int k = 1; ; k++) {
            Path dir = parent.resolve(stamp + (k == 1 ? "" : "-" + k) + suffix);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                // another run's: try the next name
            }
        }
    }

    /** The ITF file beside a raw TLC output {@code X.out}: {@code X.itf.json}. */
    public static Path itfBeside(Path rawOutput) {
        String name = rawOutput.getFileName().toString().replaceFirst("\\.out$", "");
        return rawOutput.resolveSibling(name + ".itf.json");
    }

    /** Writes the ITF trace of a counterexample; null (and a warning) if it cannot. */
    public static Path itf(TlcResult r, Path spec, Path config, PrintStream warn) {
        if (r.trace().isEmpty() || r.rawOutput() == null) return null;
        try {
            return ItfTrace.write(r, spec, config, itfBeside(r.rawOutput()));
        } catch (IOException | RuntimeException | LinkageError e) {
            warn.println("warning: could not write the ITF trace of " + spec.getFileName() + ": " + e);
            return null;
        }
    }

    /** summary.json, junit.xml and report.html of one {@code ./coop check} in {@code dir}. */
    public static void check(Repo repo, Path dir, Map<String, ?> options, List<CheckEntry> rows, PrintStream warn) {
        Map<String, Object> versions = new LinkedHashMap<>();
        write(dir, warn, () -> {
            Path tlcOut = rows.stream().map(e -> e.result().rawOutput()).filter(p -> p != null && Files.exists(p))
                    .findFirst().orElse(null);
            versions.putAll(Versions.of(repo.root(), tlcOut));
            if (versions.get("tlc") == null) versions.put("tlc", Versions.tlcOnClasspath());
            Json.write(SummaryJson.check(repo, options, versions, rows), dir.resolve(SUMMARY));
            Map<String, Object> props = new LinkedHashMap<>(versions);
            props.put("options", Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(options));
            JUnitXml.check(dir.resolve(JUNIT), props, rows);
        }, () -> CheckPage.write(dir.resolve(PAGE), repo, versions, rows));
    }

    /**
     * summary.json, junit.xml and report.html of one {@code ./coop conform} (or soak) in
     * {@code dir}. {@code inputs} gets the image's SHA-256 added beside {@code image} (a path).
     */
    public static void conform(Repo repo, Path dir, Path image, Map<String, Object> inputs, List<ConformEntry> runs,
                               PrintStream warn) {
        Map<String, Object> in = new LinkedHashMap<>(inputs);
        Map<String, Object> versions = new LinkedHashMap<>();
        write(dir, warn, () -> {
            String sha = image == null ? null : sha256(image);
            in.put("image", image == null ? null : repo.show(image));
            in.put("imageSha256", sha);
            versions.putAll(Versions.of(repo.root(), null));
            versions.put("tlc", Versions.tlcOnClasspath());
            Json.write(SummaryJson.conform(repo, in, versions, runs), dir.resolve(SUMMARY));
            Map<String, Object> props = new LinkedHashMap<>(versions);
            props.put("image", in.get("image"));
            props.put("image.sha256", sha);
            JUnitXml.conform(dir.resolve(JUNIT), props, sha, runs);
        }, () -> ConformPage.write(dir.resolve(PAGE), repo, in, versions, runs));
    }

    /**
     * summary.json, junit.xml and report.html of one {@code ./coop stress ring} in {@code dir}
     * (with {@code allMutants}, one campaign per mutant).
     */
    public static void stress(Repo repo, Path dir, Map<String, Object> inputs, List<StressEntry> campaigns, boolean allMutants,
                              PrintStream warn) {
        Map<String, Object> versions = new LinkedHashMap<>();
        write(dir, warn, () -> {
            versions.putAll(Versions.of(repo.root(), null));
            versions.remove("tlc");   // no TLC in a stress run
            Json.write(SummaryJson.stress(repo, inputs, versions, campaigns), dir.resolve(SUMMARY));
            Map<String, Object> props = new LinkedHashMap<>(versions);
            inputs.forEach((k, v) -> {
                if (v != null) props.put(k, v);
            });
            JUnitXml.stress(dir.resolve(JUNIT), props, campaigns, allMutants);
        }, () -> StressPage.write(dir.resolve(PAGE), repo, inputs, versions, campaigns, allMutants));
    }

    /** The hex SHA-256 of a file, or null if it cannot be read. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
