package coopvmm.conformance.report;

import coopvmm.conformance.tlc.TlcResult;

import java.nio.file.Path;

/**
 * One model-checking target as the reports see it.
 *
 * @param spec       the spec's file
 * @param config     the config's file
 * @param expected   the property a mutant's EXPECT line names, or null for a spec that must hold
 * @param result     what TLC found
 * @param asExpected holds when it must, rejected with the expected property when it must not
 * @param itf        the counterexample as an ITF trace, or null (none, or it could not be written)
 */
public record CheckEntry(Path spec, Path config, String expected, TlcResult result, boolean asExpected, Path itf) {

    public String specName() {
        return spec.getFileName().toString().replaceFirst("\\.tla$", "");
    }

    public String configName() {
        return config.getFileName().toString();
    }

    public boolean isError() {
        return result.verdict() == TlcResult.Verdict.PARSE_ERROR || result.verdict() == TlcResult.Verdict.TLC_ERROR;
    }
}
