package coopvmm.conformance.order;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Names (events, field keys, word names) interned straight from the input bytes: no String per token. */
final class Symbols {

    private byte[][] keys = new byte[256][];
    private int[] hashes = new int[256];
    private int[] ids = new int[256];
    private final List<String> names = new ArrayList<>();
    private byte[][] bytesById = new byte[64][];

    int intern(byte[] b, int from, int to) {
        return intern(b, from, to, rawHash(b, from, to));
    }

    /** With {@code raw} = the bytes' {@code h = 31 * h + b} hash, computed by the caller while it scanned them. */
    int intern(byte[] b, int from, int to, int raw) {
        int h = raw ^ (raw >>> 16);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                k = Arrays.copyOfRange(b, from, to);
                keys[i] = k;
                hashes[i] = h;
                ids[i] = names.size();
                if (names.size() == bytesById.length) bytesById = Arrays.copyOf(bytesById, names.size() * 2);
                bytesById[names.size()] = k;
                names.add(new String(k, StandardCharsets.ISO_8859_1).intern());
                if (names.size() * 2 > keys.length) grow();
                return names.size() - 1;
            }
            if (hashes[i] == h && Arrays.equals(k, 0, k.length, b, from, to)) return ids[i];
        }
    }

    int intern(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return intern(b, 0, b.length);
    }

    String name(int id) {
        return names.get(id);
    }

    /** The name's bytes (not to be changed). */
    byte[] bytes(int id) {
        return bytesById[id];
    }

    int size() {
        return names.size();
    }

    static int rawHash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + b[i];
        return h;
    }

    private void grow() {
        byte[][] ok = keys;
        int[] oh = hashes, oi = ids;
        keys = new byte[ok.length * 2][];
        hashes = new int[keys.length];
        ids = new int[keys.length];
        int mask = keys.length - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] == null) continue;
            int i = oh[j] & mask;
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = ok[j];
            hashes[i] = oh[j];
            ids[i] = oi[j];
        }
    }
}
