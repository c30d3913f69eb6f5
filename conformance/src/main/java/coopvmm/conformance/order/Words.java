package coopvmm.conformance.order;

import java.util.Arrays;

/**
 * The shared words of a trace: identity (channel, name; a routing word's name carries its
 * IOPM: {@link #routing}), numbered densely in order of first appearance, with their initial
 * values (the spec's {@code Init}: the event indexes {@code req_event}, {@code rsp_event},
 * {@code cmd_event}, {@code ans_event} 1, every other word 0).
 */
public final class Words {

    private long[] keys = new long[64];      // open addressing: (channel << 32 | name symbol) + 1, 0 = empty
    private int[] slots = new int[64];
    private int[] channel = new int[16], name = new int[16];
    private long[] init = new long[16];
    private boolean[] lags = new boolean[16];
    private String[] names = new String[16];
    private int size;

    int id(int ch, int sym, Symbols symbols) {
        String n = symbols.name(sym);
        if (routing(n)) ch = 0;
        long key = (((long) ch << 32) | (sym & 0xffffffffL)) + 1;
        int mask = keys.length - 1;
        int i = (int) (mix(key) & mask);
        while (keys[i] != 0) {
            if (keys[i] == key) return slots[i];
            i = (i + 1) & mask;
        }
        if (size == channel.length) {
            channel = Arrays.copyOf(channel, size * 2);
            name = Arrays.copyOf(name, size * 2);
            init = Arrays.copyOf(init, size * 2);
            names = Arrays.copyOf(names, size * 2);
            lags = Arrays.copyOf(lags, size * 2);
        }
        channel[size] = ch;
        name[size] = sym;
        names[size] = n;
        init[size] = n.equals("req_event") || n.equals("rsp_event") || n.equals("cmd_event") || n.equals("ans_event") ? 1 : 0;
        lags[size] = n.equals("req_cons") || n.equals("rsp_cons") || n.equals("cmd_cons") || n.equals("ans_cons");
        keys[i] = key;
        slots[i] = size;
        size++;
        if (size * 2 > keys.length) rehash();
        return size - 1;
    }

    /**
     * A word of the routing protocol ({@code irq_prod.1}, {@code irq_beat.0}, {@code irq_clock}):
     * its name carries its IOPM, and it is one word whichever record names it, since a routing
     * step spans channels (a clock tick reads every IOPM's beat, a failover appends to the lists
     * of others). Kept on channel 0.
     */
    static boolean routing(String name) {
        return name.startsWith("irq_");
    }

    private static long mix(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return k ^ (k >>> 29);
    }

    private void rehash() {
        long[] ok = keys;
        int[] os = slots;
        keys = new long[ok.length * 2];
        slots = new int[keys.length];
        int mask = keys.length - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] == 0) continue;
            int i = (int) (mix(ok[j]) & mask);
            while (keys[i] != 0) i = (i + 1) & mask;
            keys[i] = ok[j];
            slots[i] = os[j];
        }
    }

    /** Whether any routing word was named: a build whose routing records carry their accesses. */
    public boolean hasRouting() {
        for (int w = 0; w < size; w++) if (routing(names[w])) return true;
        return false;
    }

    /** Whether a management ring's word was named: a build whose management records carry their accesses. */
    public boolean hasManagement() {
        for (int w = 0; w < size; w++) if (names[w].equals("cmd_prod")) return true;
        return false;
    }

    public int size() {
        return size;
    }

    public int channel(int w) {
        return channel[w];
    }

    public String name(int w) {
        return names[w];
    }

    /** The name's symbol (of the reader that made this table). */
    int nameSymbol(int w) {
        return name[w];
    }

    public long initial(int w) {
        return init[w];
    }

    /**
     * A consumer index ({@code req_cons}, {@code rsp_cons}; the management ring's {@code cmd_cons},
     * {@code ans_cons} alike, MgmtRing having CoopRing's rules): its peer reads it only as the bound
     * of the slots it may fill, and may read it late. CoopRingTSO maps CoopRing's {@code reqCons}
     * and {@code rspCons} to their owner's view, store buffer included ({@code IView(ReqCons)},
     * {@code VView(RspCons)}), and TLC shows the mapping a refinement with no barrier between a
     * consume's store of its index and the peer's next load of it. So under x86-TSO the two sides
     * can each store their consumer index and then load the other's old one (store buffering,
     * seen on real cores within 500,000 requests), and that is a CoopRing behaviour: such a read
     * orders nothing after it (no fr edge). It still comes after the write it saw (rf), and the
     * replay checks the bound it read ({@code RingReplay}).
     */
    public boolean lags(int w) {
        return lags[w];
    }

    /** As printed: {@code req_prod}, or {@code req_prod@iopm1} on channel 1. */
    public String display(int w) {
        return Access.wordName(channel[w], names[w]);
    }
}
