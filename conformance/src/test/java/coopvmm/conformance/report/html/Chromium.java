package coopvmm.conformance.report.html;

import coopvmm.conformance.Trees;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless chromium, driven from its command line: the page rendered as a person
 * sees it ({@code --screenshot}) and the DOM the browser built from it ({@code --dump-dom}).
 * Each run is bounded: past {@link #TIMEOUT_SECONDS} it is killed, with its children.
 */
final class Chromium {

    static final long TIMEOUT_SECONDS = 60;

    /** Where the browser is found: here and nowhere else. {@code ./coop} installs the Debian package {@code chromium}. */
    static Path require() {
        String override = System.getenv("COOP_CHROMIUM");
        if (override != null && !override.isBlank() && Files.isExecutable(Path.of(override))) return Path.of(override);
        for (String name : List.of("chromium", "chromium-browser"))
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) return p;
            }
        return fail("chromium is not installed: the report pages are tested in a real headless browser. Install it with "
                + "`apt-get install -y chromium` (./coop does as root), or point COOP_CHROMIUM at one.");
    }

    private final Path exe;

    Chromium(Path exe) {
        this.exe = exe;
    }

    /**
     * Opens the page once: saves a PNG of its first {@code width} x {@code height} pixels and
     * returns the DOM the browser built from it (after parsing and any script: there is none).
     */
    String render(Path page, Path png, int width, int height) throws Exception {
        Files.deleteIfExists(png);
        Path out = Files.createTempFile("coop-dom", ".html");
        try {
            run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--dump-dom",
                    page.toUri().toString()), out);
            if (!Files.isRegularFile(png)) fail("chromium wrote no screenshot at " + png);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private void run(List<String> args, Path stdout) throws Exception {
        Path profile = Files.createTempDirectory("coop-chromium");
        try {
            List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                    "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();   // stderr: D-Bus noise only
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
            }
            assertEquals(0, p.exitValue(), () -> "chromium failed: " + String.join(" ", cmd));
        } finally {
            Trees.delete(profile);
        }
    }

}
