package coopvmm.conformance.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code Name = value} constant assignments of a TLC config, so a model can use the same bound. */
public final class CfgConstants {

    private static final Pattern ASSIGN = Pattern.compile("^\\s*(\\w+)\\s*=\\s*(\\S+)\\s*$");

    private CfgConstants() {
    }

    public static Map<String, String> read(Path cfg) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(cfg)) {
            Matcher m = ASSIGN.matcher(raw.replaceAll("\\\\\\*.*$", ""));
            if (m.find()) out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /** The config with its temporal properties dropped: for dumps and simulations, which need none. */
    public static String withoutProperties(Path cfg) throws IOException {
        return SpecCatalog.withOnlyProperty(cfg, null);
    }
}
