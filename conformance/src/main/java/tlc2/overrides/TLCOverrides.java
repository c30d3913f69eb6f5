package tlc2.overrides;

import coopvmm.conformance.tlc.TraceData;

/**
 * TLC looks for a class of exactly this name on its class path and takes the Java
 * definitions of TLA+ operators it lists. Ours: {@link TraceData}, which reads a long trace
 * from a file, so that SANY never parses it as a literal. Only the TLC runs of trace
 * validation have it on their class path.
 */
public final class TLCOverrides implements ITLCOverrides {

    @Override
    @SuppressWarnings("rawtypes")
    public Class[] get() {
        return new Class[] {TraceData.class};
    }
}
