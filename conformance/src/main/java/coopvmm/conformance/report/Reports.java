package coopvmm.conformance.report;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.TlcResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports of a command, written at its end: summary.json and junit.xml. A report that
 * cannot be written is one warning line; it never changes the command's verdict or exit code.
 */
public final class Reports {

    public static final String SUMMARY = "summary.json", JUNIT = "junit.xml";

    private Reports() {
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

    /** summary.json and junit.xml of one {@code ./coop check} in {@code dir}. */
    public static void check(Repo repo, Path dir, Map<String, ?> options, List<CheckEntry> rows, PrintStream warn) {
        try {
            Path tlcOut = rows.stream().map(e -> e.result().rawOutput()).filter(p -> p != null && Files.exists(p))
                    .findFirst().orElse(null);
            Map<String, Object> versions = Versions.of(repo.root(), tlcOut);
            if (versions.get("tlc") == null) versions.put("tlc", Versions.tlcOnClasspath());
            Json.write(SummaryJson.check(repo, options, versions, rows), dir.resolve(SUMMARY));
            Map<String, Object> props = new LinkedHashMap<>(versions);
            props.put("options", Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(options));
            JUnitXml.check(dir.resolve(JUNIT), props, rows);
        } catch (IOException | RuntimeException | LinkageError e) {
            warn.println("warning: could not write the reports (summary.json, junit.xml) in " + dir + ": " + e);
        }
    }

    /**
     * summary.json and junit.xml of one {@code ./coop conform} (or soak) in {@code dir}.
     * {@code inputs} gets the image's SHA-256 added beside {@code image} (a path).
     */
    public static void conform(Repo repo, Path dir, Path image, Map<String, Object> inputs, List<ConformEntry> runs,
                               PrintStream warn) {
        try {
            String sha = image == null ? null : sha256(image);
            Map<String, Object> in = new LinkedHashMap<>(inputs);
            in.put("image", image == null ? null : repo.show(image));
            in.put("imageSha256", sha);
            Map<String, Object> versions = Versions.of(repo.root(), null);
            versions.put("tlc", Versions.tlcOnClasspath());
            Json.write(SummaryJson.conform(repo, in, versions, runs), dir.resolve(SUMMARY));
            Map<String, Object> props = new LinkedHashMap<>(versions);
            props.put("image", in.get("image"));
            props.put("image.sha256", sha);
            JUnitXml.conform(dir.resolve(JUNIT), props, sha, runs);
        } catch (IOException | RuntimeException | LinkageError e) {
            warn.println("warning: could not write the reports (summary.json, junit.xml) in " + dir + ": " + e);
        }
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
