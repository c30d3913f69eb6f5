package coopvmm.conformance.report.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The action coverage TLC prints when run with {@code -coverage N}: per action the distinct
 * states it found and the states it generated. {@code 0:0} is an action never enabled, a
 * sign of a guard that cannot hold (or a bound too small to reach it).
 */
public final class TlcCoverage {

    /** One action: {@code <Name line L, col C to ... of module M>: distinct:generated}. */
    public record Action(String name, String module, int line, long distinct, long generated) {
        public boolean neverEnabled() {
            return generated == 0;
        }
    }

    private static final Pattern ACTION = Pattern.compile("^<(\\w+) line (\\d+), col \\d+ to line \\d+, col \\d+ of module (\\w+)>: (\\d+):(\\d+)\\s*$");
    private static final String START = "The coverage statistics";

    private TlcCoverage() {
    }

    /** The last coverage block of a raw TLC output (TLC prints one every N minutes, then one at the end); empty if none. */
    public static List<Action> read(Path rawOutput) {
        if (rawOutput == null || !Files.isRegularFile(rawOutput)) return List.of();
        List<Action> last = List.of();
        List<Action> cur = null;
        try (Stream<String> lines = Files.lines(rawOutput, StandardCharsets.ISO_8859_1)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.startsWith(START)) {
                    cur = new ArrayList<>();
                    last = cur;
                    continue;
                }
                if (cur == null) continue;
                Matcher m = ACTION.matcher(l);
                if (m.matches()) cur.add(new Action(m.group(1), m.group(3), Integer.parseInt(m.group(2)),
                        Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
                else if (!l.startsWith(" ") && !l.startsWith("|") && !l.isBlank()) cur = null;   // the block ended
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        return List.copyOf(last);
    }
}
