package coopvmm.conformance.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds specs and their configs. A spec {@code X.tla} is checked with {@code X.cfg} and every
 * {@code X<Suffix>.cfg} beside it (no other spec being named {@code X<Suffix>}); configs whose
 * name ends in {@code Deep.cfg} are the larger bounds, run only with --deep. A variant that
 * TLC must reject says which property it breaks in a comment line {@code EXPECT: Name}.
 */
public final class SpecCatalog {

    private static final Pattern EXPECT = Pattern.compile("EXPECT:\\s*(\\w+)");

    private SpecCatalog() {
    }

    /** One TLC job: a spec, a config, and what is expected of it. */
    public record Target(Path spec, Path cfg, String expected) {
        public String name() {
            return spec.getFileName().toString().replaceFirst("\\.tla$", "");
        }

        public String cfgName() {
            return cfg.getFileName().toString();
        }

        public boolean expectsViolation() {
            return expected != null;
        }
    }

    /** The specs (.tla files) directly in {@code dir}, by name. */
    public static List<Path> specsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tla")).sorted().toList();
        }
    }

    /** The check targets of one spec: its configs, deep ones only when {@code deep}. */
    public static List<Target> targetsOf(Path spec, boolean deep) throws IOException {
        Path dir = spec.toAbsolutePath().getParent();
        String name = spec.getFileName().toString().replaceFirst("\\.tla$", "");
        List<String> others = specsIn(dir).stream()
                .map(p -> p.getFileName().toString().replaceFirst("\\.tla$", ""))
                .filter(n -> !n.equals(name) && n.startsWith(name)).toList();
        String expected = expectedOf(spec).orElse(null);
        List<Target> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path cfg : s.sorted().toList()) {
                String f = cfg.getFileName().toString();
                if (!f.endsWith(".cfg") || !f.startsWith(name)) continue;
                String stem = f.substring(0, f.length() - 4);
                if (others.stream().anyMatch(stem::startsWith)) continue;
                if (stem.endsWith("Deep") != deep) continue;
                out.add(new Target(spec, cfg, expected));
            }
        }
        return out;
    }

    /** The property a buggy variant must violate, from its {@code EXPECT:} line. */
    public static Optional<String> expectedOf(Path spec) throws IOException {
        for (String line : Files.readAllLines(spec)) {
            Matcher m = EXPECT.matcher(line);
            if (m.find()) return Optional.of(m.group(1));
        }
        return Optional.empty();
    }

    /** The names listed under PROPERTY/PROPERTIES in a config. */
    public static List<String> temporalProperties(Path cfg) throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String raw : Files.readAllLines(cfg)) {
            String line = raw.replaceAll("\\\\\\*.*$", "").strip();
            if (line.isEmpty()) continue;
            String[] words = line.split("\\s+");
            int from = 0;
            if (isKeyword(words[0])) {
                in = words[0].equals("PROPERTY") || words[0].equals("PROPERTIES");
                from = 1;
            }
            if (in) for (int k = from; k < words.length; k++) out.add(words[k]);
        }
        return out;
    }

    /**
     * A copy of {@code cfg} that keeps only {@code property} among the temporal properties
     * (none if {@code property} is null).
     */
    public static String withOnlyProperty(Path cfg, String property) throws IOException {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String raw : Files.readAllLines(cfg)) {
            String line = raw.replaceAll("\\\\\\*.*$", "").strip();
            String[] words = line.isEmpty() ? new String[] {""} : line.split("\\s+");
            if (isKeyword(words[0])) {
                in = words[0].equals("PROPERTY") || words[0].equals("PROPERTIES");
                if (in) {
                    if (property != null) b.append("PROPERTIES ").append(property).append('\n');
                    continue;
                }
            }
            if (!in) b.append(raw).append('\n');
        }
        return b.toString();
    }

    private static boolean isKeyword(String w) {
        return switch (w) {
            case "CONSTANT", "CONSTANTS", "SPECIFICATION", "INIT", "NEXT", "INVARIANT",
                 "INVARIANTS", "PROPERTY", "PROPERTIES", "CONSTRAINT", "CONSTRAINTS",
                 "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "SYMMETRY", "VIEW",
                 "CHECK_DEADLOCK", "POSTCONDITION", "ALIAS" -> true;
            default -> false;
        };
    }
}
