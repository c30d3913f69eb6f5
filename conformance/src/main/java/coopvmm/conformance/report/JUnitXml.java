package coopvmm.conformance.report;

import coopvmm.conformance.tlc.CounterexamplePrinter;
import coopvmm.conformance.tlc.TlcResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code junit.xml} for CI (Jenkins, GitLab, GitHub test reporters): one testsuite, one
 * testcase per spec/config or per conformance run. The key text of a failure is in its
 * {@code message} and in its body too (older GitLab shows only the body); files are attached
 * the Jenkins/GitLab way, {@code [[ATTACHMENT|path]]} in system-out.
 */
public final class JUnitXml {

    /** Lines of a counterexample or of a run's output kept in a failure body. */
    static final int BODY_LINES = 40;

    private JUnitXml() {
    }

    public static void check(Path file, Map<String, ?> properties, List<CheckEntry> rows) throws IOException {
        int failures = 0, errors = 0;
        double time = 0;
        for (CheckEntry e : rows) {
            if (e.isError()) errors++;
            else if (!e.asExpected()) failures++;
            time += e.result().seconds();
        }
        double total = time;
        int f = failures, er = errors;
        write(file, w -> {
            suite(w, "coop check", rows.size(), f, er, total, properties);
            for (CheckEntry e : rows) {
                TlcResult r = e.result();
                w.writeCharacters("\n  ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", clean(e.specName()));
                w.writeAttribute("name", clean(e.configName()));
                w.writeAttribute("time", seconds(r.seconds()));
                if (e.isError() || !e.asExpected()) {
                    String message = checkMessage(e);
                    w.writeCharacters("\n    ");
                    w.writeStartElement(e.isError() ? "error" : "failure");
                    w.writeAttribute("message", clean(message));
                    w.writeAttribute("type", clean(r.verdict().text()));
                    w.writeCharacters(clean(checkBody(e, message)));
                    w.writeEndElement();
                }
                List<String> attach = new ArrayList<>();
                if (r.rawOutput() != null) attach.add("[[ATTACHMENT|" + r.rawOutput().toAbsolutePath() + "]]");
                if (e.itf() != null) attach.add("[[ATTACHMENT|" + e.itf().toAbsolutePath() + "]]");
                if (!attach.isEmpty()) {
                    w.writeCharacters("\n    ");
                    w.writeStartElement("system-out");
                    w.writeCharacters(clean(String.join("\n", attach)));
                    w.writeEndElement();
                }
                w.writeCharacters("\n  ");
                w.writeEndElement();
            }
        });
    }

    /** {@code properties}: of the suite (image hash, commit, versions); each run adds its own. */
    public static void conform(Path file, Map<String, ?> properties, String imageSha256, List<ConformEntry> runs)
            throws IOException {
        int failures = 0, errors = 0;
        double time = 0;
        for (ConformEntry e : runs) {
            if (e.isError()) errors++;
            else if (!e.passed()) failures++;
            time += e.seconds();
        }
        double total = time;
        int f = failures, er = errors;
        write(file, w -> {
            suite(w, "coop conform", runs.size(), f, er, total, properties);
            for (ConformEntry e : runs) {
                w.writeCharacters("\n  ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", clean("conform." + e.scenario()));
                w.writeAttribute("name", "smp" + e.smp() + "-seed" + e.seed());
                w.writeAttribute("time", seconds(e.seconds()));
                w.writeCharacters("\n    ");
                w.writeStartElement("properties");
                property(w, "seed", Long.toString(e.seed()), "\n      ");
                property(w, "smp", Integer.toString(e.smp()), "\n      ");
                if (imageSha256 != null) property(w, "image.sha256", imageSha256, "\n      ");
                property(w, "reproduce", e.reproduce(), "\n      ");
                w.writeCharacters("\n    ");
                w.writeEndElement();
                if (!e.passed()) {
                    String message = conformMessage(e);
                    w.writeCharacters("\n    ");
                    w.writeStartElement(e.isError() ? "error" : "failure");
                    w.writeAttribute("message", clean(message));
                    w.writeAttribute("type", e.verdict());
                    w.writeCharacters(clean(conformBody(e, message)));
                    w.writeEndElement();
                }
                if (e.dir() != null) {
                    w.writeCharacters("\n    ");
                    w.writeStartElement("system-out");
                    w.writeCharacters(clean("run folder: " + e.dir().toAbsolutePath() + "\n[[ATTACHMENT|"
                            + e.dir().resolve("trace.log").toAbsolutePath() + "]]"));
                    w.writeEndElement();
                }
                w.writeCharacters("\n  ");
                w.writeEndElement();
            }
        });
    }

    /**
     * {@code ./coop stress ring}: a testcase per round; with {@code allMutants}, one per mutant
     * instead, and a mutant caught passes (the check did its job), one not caught fails.
     */
    public static void stress(Path file, Map<String, ?> properties, List<coopvmm.conformance.report.html.StressEntry> campaigns,
                              boolean allMutants) throws IOException {
        record Case(String classname, String name, double seconds, String kind, String message, String body, String out) {}
        List<Case> cases = new ArrayList<>();
        for (var e : campaigns) {
            var f = e.failure();
            String body = f == null ? "" : f.text() + "\nreproduce: " + e.reproduce() + "\n";
            String out = f == null || f.dir() == null ? null : "round folder: " + f.dir().toAbsolutePath() + "\n[[ATTACHMENT|"
                    + f.dir().resolve("cpu0.log").toAbsolutePath() + "]]\n[[ATTACHMENT|" + f.dir().resolve("cpu1.log").toAbsolutePath() + "]]";
            if (allMutants) {
                double s = e.trafficSeconds() + e.checkSeconds();
                if (e.caught()) cases.add(new Case("stress.mutants", e.name(), s, null, null, null, "caught in round " + f.round()
                        + ": " + f.headline() + (out == null ? "" : "\n" + out)));
                else if (e.isError()) cases.add(new Case("stress.mutants", e.name(), s, "error",
                        f == null ? "environment error" : f.headline(), body, out));
                else cases.add(new Case("stress.mutants", e.name(), s, "failure", "not caught in " + e.rounds().size() + " rounds ("
                        + String.format(Locale.ROOT, "%.1f", e.wallSeconds()) + " s, " + e.answered() + " requests)",
                        "reproduce: " + e.reproduce() + "\n", null));
                continue;
            }
            for (var r : e.rounds()) {
                boolean failing = f != null && f.round() == r.round();
                String kind = r.holds() ? null : r.verdict().equals("error") ? "error" : "failure";
                cases.add(new Case("stress.ring." + e.name(), "round-" + r.round(), r.trafficSeconds() + r.checkSeconds(), kind,
                        r.finding() == null ? r.verdict() : r.finding(), failing ? body : r.finding(), failing ? out : null));
            }
        }
        int failures = (int) cases.stream().filter(c -> "failure".equals(c.kind())).count();
        int errors = (int) cases.stream().filter(c -> "error".equals(c.kind())).count();
        double total = cases.stream().mapToDouble(Case::seconds).sum();
        write(file, w -> {
            suite(w, allMutants ? "coop stress --all-mutants" : "coop stress", cases.size(), failures, errors, total, properties);
            for (Case c : cases) {
                w.writeCharacters("\n  ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", clean(c.classname()));
                w.writeAttribute("name", clean(c.name()));
                w.writeAttribute("time", seconds(c.seconds()));
                if (c.kind() != null) {
                    w.writeCharacters("\n    ");
                    w.writeStartElement(c.kind());
                    w.writeAttribute("message", clean(c.message()));
                    w.writeAttribute("type", c.kind().equals("error") ? "environment" : "stress");
                    w.writeCharacters(clean(c.body() == null ? "" : firstLines(c.body(), BODY_LINES)));
                    w.writeEndElement();
                }
                if (c.out() != null) {
                    w.writeCharacters("\n    ");
                    w.writeStartElement("system-out");
                    w.writeCharacters(clean(c.out()));
                    w.writeEndElement();
                }
                w.writeCharacters("\n  ");
                w.writeEndElement();
            }
        });
    }

    static String checkMessage(CheckEntry e) {
        TlcResult r = e.result();
        String got = r.verdict().text() + (r.property() != null ? ": " + r.property() : "");
        if (e.isError()) return got + (r.message() != null ? ": " + r.message() : "");
        if (e.expected() != null) return "expected " + e.expected() + " to be violated; TLC: " + got;
        return got;
    }

    private static String checkBody(CheckEntry e, String message) {
        TlcResult r = e.result();
        StringBuilder b = new StringBuilder(message).append('\n');
        b.append("verdict: ").append(r.verdict().text()).append('\n');
        if (r.property() != null) b.append("property: ").append(r.property()).append('\n');
        if (r.message() != null) b.append("TLC: ").append(r.message()).append('\n');
        if (!r.trace().isEmpty()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
                CounterexamplePrinter.print(r, p);
            }
            b.append("counterexample (").append(r.trace().size()).append(" states):\n");
            b.append(firstLines(buf.toString(StandardCharsets.UTF_8), BODY_LINES));
        }
        if (r.rawOutput() != null) b.append("raw TLC output: ").append(r.rawOutput()).append('\n');
        if (e.itf() != null) b.append("ITF trace: ").append(e.itf()).append('\n');
        return b.toString();
    }

    /** The first reason or finding (a divergence, a TLA+ rejection), else the verdict. */
    static String conformMessage(ConformEntry e) {
        List<String> f = e.findings();
        return f.isEmpty() ? e.verdict() : f.get(0);
    }

    private static String conformBody(ConformEntry e, String message) {
        StringBuilder b = new StringBuilder(message).append('\n');
        for (String r : e.findings()) if (!r.equals(message)) b.append(r).append('\n');
        if (e.detail() != null && !e.detail().isBlank()) b.append(firstLines(e.detail(), BODY_LINES));
        // A failing run prints its reproduce line; an environment error may not have.
        if (e.detail() == null || !e.detail().contains("reproduce: " + e.reproduce()))
            b.append("reproduce: ").append(e.reproduce()).append('\n');
        return b.toString();
    }

    private static String firstLines(String text, int n) {
        String[] lines = text.split("\n", -1);
        int end = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, end); i++) b.append(lines[i]).append('\n');
        if (end > n) b.append("... (").append(end - n).append(" more lines)\n");
        return b.toString();
    }

    private static void suite(XMLStreamWriter w, String name, int tests, int failures, int errors, double time,
                              Map<String, ?> properties) throws XMLStreamException {
        w.writeStartElement("testsuite");
        w.writeAttribute("name", name);
        w.writeAttribute("tests", Integer.toString(tests));
        w.writeAttribute("failures", Integer.toString(failures));
        w.writeAttribute("errors", Integer.toString(errors));
        w.writeAttribute("skipped", "0");
        w.writeAttribute("time", seconds(time));
        w.writeAttribute("timestamp", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        if (!properties.isEmpty()) {
            w.writeCharacters("\n  ");
            w.writeStartElement("properties");
            for (var p : properties.entrySet())
                if (p.getValue() != null) property(w, p.getKey(), String.valueOf(p.getValue()), "\n    ");
            w.writeCharacters("\n  ");
            w.writeEndElement();
        }
    }

    private static void property(XMLStreamWriter w, String name, String value, String indent) throws XMLStreamException {
        w.writeCharacters(indent);
        w.writeEmptyElement("property");
        w.writeAttribute("name", clean(name));
        w.writeAttribute("value", clean(value == null ? "" : value));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /**
     * Text XML 1.0 can hold: a guest's serial output or a TLC message may carry control
     * characters, which would make the whole file unreadable to every consumer.
     */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c);
            if (!ok) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    /** The document around {@code body}, written to a temp file moved into place. */
    private static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(os, "UTF-8");
                w.writeStartDocument("UTF-8", "1.0");
                w.writeCharacters("\n");
                body.write(w);
                w.writeCharacters("\n");
                w.writeEndElement();
                w.writeCharacters("\n");
                w.writeEndDocument();
                w.close();
            } catch (XMLStreamException x) {
                throw new IOException("writing " + file + ": " + x.getMessage(), x);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
