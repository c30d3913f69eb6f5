package coopvmm.model;

/** The one rule that turns a TLA+ action name into a trace event name, for every protocol. */
public final class TraceNames {

    private TraceNames() {
    }

    /** {@code SendSipi} -> {@code send_sipi}. */
    public static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) b.append('_');
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    /** The side first: {@code VmmWriteRequest} -> {@code vmm.write_request}; one word stays as it is, lower-cased. */
    public static String sided(String tla) {
        for (int i = 1; i < tla.length(); i++)
            if (Character.isUpperCase(tla.charAt(i))) return snake(tla.substring(0, i)) + "." + snake(tla.substring(i));
        return tla.toLowerCase();
    }
}
