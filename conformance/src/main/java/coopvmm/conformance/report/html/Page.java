package coopvmm.conformance.report.html;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static coopvmm.conformance.report.html.Html.esc;

/**
 * One static HTML page: its styles inline, no script, nothing fetched, so it opens from disk
 * (a CI artifact, an e-mail attachment) as it does in a browser on the machine that wrote it.
 */
final class Page {

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#24292f;margin:24px auto;max-width:1400px;padding:0 16px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
            h3{font-size:15px;margin:20px 0 6px}.meta{color:#57606a;font-size:12px}
            table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.pass td.verdict{color:#1a7f37;font-weight:600}tr.fail td.verdict,tr.error td.verdict{color:#cf222e;font-weight:600}
            tr.never td,td.never{background:#fff1e5;color:#953800;font-weight:600}
            code,pre,.changes td{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
            pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:320px}
            .diagram{overflow-x:auto;border:1px solid #d0d7de;padding:4px;margin:8px 0;background:#fff}
            .expected{border-left:4px solid #d62728;background:#fff5f5;padding:6px 10px;margin:8px 0}
            .note{color:#57606a;font-style:italic}.chart{margin:6px 12px 6px 0;border:1px solid #eaeef2}
            .charts{display:flex;flex-wrap:wrap}details{margin:6px 0}
            """;

    private final StringBuilder b = new StringBuilder(64 * 1024);

    Page(String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"coop (coopvmm.conformance.report.html)\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    }

    Page raw(String html) {
        b.append(html);
        return this;
    }

    /** An element with escaped text. */
    Page el(String tag, String attrs, String text) {
        b.append('<').append(tag).append(attrs.isEmpty() ? "" : " " + attrs).append('>').append(esc(text))
                .append("</").append(tag).append(">\n");
        return this;
    }

    /** The page, written whole or not at all (a temp file moved into place). */
    void write(Path file) throws IOException {
        b.append("</body>\n</html>\n");
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            try {
                // A temp file is private; a page is for whoever can read the folder.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default is fine
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A link to a file relative to the page, so the folder can be moved or downloaded whole. */
    static String href(Path page, Path target) {
        Path dir = page.toAbsolutePath().getParent();
        Path t = target.toAbsolutePath();
        String rel;
        try {
            rel = dir.relativize(t).toString();
        } catch (IllegalArgumentException e) {
            rel = t.toUri().toString();
        }
        rel = rel.replace(java.io.File.separatorChar, '/');
        try {
            return new java.net.URI(null, null, rel, null).toASCIIString();   // a space or '#' in a name
        } catch (java.net.URISyntaxException e) {
            return rel;
        }
    }

    static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
