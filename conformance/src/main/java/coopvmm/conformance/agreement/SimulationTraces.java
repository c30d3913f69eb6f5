package coopvmm.conformance.agreement;

import coopvmm.conformance.tla.TlaValues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a behaviour TLC wrote with {@code -simulate file=PREFIX}: STATE_1 == ..., STATE_2 == ... */
public final class SimulationTraces {

    private SimulationTraces() {
    }

    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("STATE_")) {
                if (cur != null) out.add(TlaValues.parseState(cur.toString()));
                cur = new StringBuilder();
            } else if (cur != null && (line.startsWith("/\\") || line.startsWith(" "))) {
                cur.append(line).append('\n');
            } else if (line.startsWith("====")) {
                break;
            }
        }
        if (cur != null && !cur.isEmpty()) out.add(TlaValues.parseState(cur.toString()));
        return out;
    }
}
