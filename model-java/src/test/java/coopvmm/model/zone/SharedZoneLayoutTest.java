package coopvmm.model.zone;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import coopvmm.model.ring.RingState;

import static coopvmm.model.zone.SharedZoneLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The constants of {@link SharedZoneLayout} against {@code docs/shared-zone.md}, the single
 * source of truth: the doc's tables are parsed and every number compared, so that neither can
 * change without the other. Then the layout's own promises: slots stay in their ring for any
 * u32 index, channels do not overlap and fit the zone.
 *
 * <p>The doc is found from the system property {@code coop.root}, the environment variable
 * {@code COOP_ROOT}, or the first parent of the working directory that holds
 * {@code docs/shared-zone.md} (the module directory's parent under Maven).
 */
class SharedZoneLayoutTest {

    private static Doc doc;

    @BeforeAll
    static void readDoc() throws IOException {
        doc = Doc.parse(Files.readString(locateDoc(), StandardCharsets.UTF_8));
    }

    static Path locateDoc() {
        String root = System.getProperty("coop.root");
        if (root == null || root.isBlank()) root = System.getenv("COOP_ROOT");
        if (root != null && !root.isBlank()) return Path.of(root, "docs", "shared-zone.md");
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("docs").resolve("shared-zone.md");
            if (Files.isRegularFile(p)) return p;
        }
        return fail("docs/shared-zone.md not found above " + Path.of("").toAbsolutePath() + "; set COOP_ROOT");
    }

    // ---- the doc's numbers -----------------------------------------------------------------

    @Test
    void namedSizesMatchTheDoc() {
        assertEquals(MAX_IOPMS, doc.named("MAX_IOPMS"));
        assertEquals(RING_SLOTS, doc.named("RING_SLOTS"));
        assertEquals(SLOT_SIZE, doc.named("SLOT_SIZE"));
        assertEquals(PAYLOAD_MAX, doc.named("PAYLOAD_MAX"));
        assertEquals(LAYOUT_VERSION, doc.number("\\(layout version (\\d+)\\)"));
        // "With RING_SLOTS = 16 and SLOT_SIZE = 64 the channel uses 0x900 bytes of its 4 KiB."
        assertEquals(channelUsed(), doc.number("the channel uses `(0x[0-9A-Fa-f]+)` bytes"));
        assertEquals(CHANNEL_SIZE, doc.number("bytes of its (\\d+ KiB)"));
    }

    @Test
    void zoneTableMatches() {
        Table t = doc.table("Zone");
        assertEquals(2, t.rows().size(), "zone table rows");
        List<String> header = t.rows().get(0), channels = t.rows().get(1);
        assertEquals(ZONE_HEADER_OFFSET, num(header.get(0)));
        assertEquals(ZONE_HEADER_SIZE, num(header.get(1)));
        assertTrue(header.get(2).contains("zone header"));
        assertEquals(CHANNEL_SIZE, num(channels.get(1)));
        for (int k = 0; k < MAX_IOPMS; k++)
            assertEquals(channelOffset(k), doc.eval(channels.get(0), Map.of("k", (long) k)), "channel " + k);
        // "Zone size: `0x1000 * (1 + MAX_IOPMS)` = 32 KiB."
        Matcher m = Pattern.compile("Zone size: `([^`]+)` = (\\d+ KiB)").matcher(doc.text);
        assertTrue(m.find(), "zone size sentence");
        assertEquals(ZONE_SIZE, doc.eval(m.group(1), Map.of()));
        assertEquals(ZONE_SIZE, num(m.group(2)));
    }

    @Test
    void zoneHeaderTableMatches() {
        Map<String, Field> f = doc.table("Zone header").fields();
        assertEquals(Map.of("magic", new Field(ZH_MAGIC, 4), "layout_version", new Field(ZH_LAYOUT_VERSION, 4),
                "iopm_count", new Field(ZH_IOPM_COUNT, 4), "ring_slots", new Field(ZH_RING_SLOTS, 4),
                "slot_size", new Field(ZH_SLOT_SIZE, 4), "irq_clock", new Field(ZH_IRQ_CLOCK, 4)), f);
        String magicRow = doc.table("Zone header").row("magic").get(2);
        assertEquals(Integer.toUnsignedLong(ZONE_MAGIC), num(backticked(magicRow).get(1)));
        assertEquals(LAYOUT_VERSION, doc.number("`layout_version` = (\\d+)"));
        assertEquals("COOP", ascii(ZONE_MAGIC));
        assertTrue(doc.text.contains("(\"COOP\")"));
    }

    @Test
    void channelTableMatches() {
        Table t = doc.table("Channel");
        Map<String, Long> names = doc.names();
        List<String> hdr = t.rowContaining("channel header");
        assertEquals(CHANNEL_HEADER_OFFSET, num(hdr.get(0)));
        assertEquals(AREA_SIZE, num(hdr.get(1)));
        // "`magic` u32 = `0x4E414843` ("CHAN"), `iopm` u32 (index k), `ring_slots` u32, `slot_size` u32"
        Matcher m = Pattern.compile("`(\\w+)` u32").matcher(hdr.get(2));
        List<String> order = new ArrayList<>();
        while (m.find()) order.add(m.group(1));
        assertEquals(List.of("magic", "iopm", "ring_slots", "slot_size"), order);
        int[] code = {CH_MAGIC, CH_IOPM, CH_RING_SLOTS, CH_SLOT_SIZE};
        for (int i = 0; i < code.length; i++) assertEquals(CHANNEL_HEADER_OFFSET + 4 * i, code[i], order.get(i));
        assertEquals(Integer.toUnsignedLong(CHANNEL_MAGIC), num(backticked(hdr.get(2)).get(1)));
        assertEquals("CHAN", ascii(CHANNEL_MAGIC));
        assertTrue(hdr.get(2).contains("(\"CHAN\")"));

        List<String> vmm = t.rowContaining("VMM-controlled area");
        assertEquals(VMM_AREA_OFFSET, num(vmm.get(0)));
        assertEquals(AREA_SIZE, num(vmm.get(1)));
        List<String> iopm = t.rowContaining("IOPM-controlled area");
        assertEquals(IOPM_AREA_OFFSET, num(iopm.get(0)));
        assertEquals(AREA_SIZE, num(iopm.get(1)));
        List<String> req = t.rowContaining("request ring");
        assertEquals(REQ_RING_OFFSET, doc.eval(req.get(0), names));
        assertEquals(RING_BYTES, doc.eval(req.get(1), names));
        List<String> rsp = t.rowContaining("response ring");
        assertEquals(rspRingOffset(), doc.eval(rsp.get(0), names));
        assertEquals(RING_BYTES, doc.eval(rsp.get(1), names));
        assertEquals(5, t.rows().size(), "channel table rows");
    }

    /** Field name in the doc -> the constant, as an offset within its area. */
    @Test
    void controlAreaTablesMatch() {
        Table vmm = doc.table("VMM-controlled area");
        assertEquals(VMM_AREA_OFFSET, doc.number("### VMM-controlled area \\(offset `(0x[0-9A-Fa-f]+)`\\)"));
        assertEquals(Map.of("req_prod", new Field(REQ_PROD - VMM_AREA_OFFSET, 4),
                "rsp_cons", new Field(RSP_CONS - VMM_AREA_OFFSET, 4),
                "rsp_event", new Field(RSP_EVENT - VMM_AREA_OFFSET, 4),
                "ipi_to_iopm", new Field(IPI_TO_IOPM - VMM_AREA_OFFSET, 4)), vmm.fields());

        Table iopm = doc.table("IOPM-controlled area");
        assertEquals(IOPM_AREA_OFFSET, doc.number("### IOPM-controlled area \\(offset `(0x[0-9A-Fa-f]+)`\\)"));
        assertEquals(Map.of("rsp_prod", new Field(RSP_PROD - IOPM_AREA_OFFSET, 4),
                "req_cons", new Field(REQ_CONS - IOPM_AREA_OFFSET, 4),
                "req_event", new Field(REQ_EVENT - IOPM_AREA_OFFSET, 4),
                "status", new Field(STATUS - IOPM_AREA_OFFSET, 4),
                "heartbeat", new Field(HEARTBEAT - IOPM_AREA_OFFSET, 4),
                "fault_addr", new Field(FAULT_ADDR - IOPM_AREA_OFFSET, 4),
                "ipi_to_vmm", new Field(IPI_TO_VMM - IOPM_AREA_OFFSET, 4)), iopm.fields());

        // the spec-variable column names fields of the model's RingState
        Set<String> stateFields = Arrays.stream(RingState.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toSet());
        for (Table t : List.of(vmm, iopm))
            for (List<String> row : t.rows()) {
                List<String> spec = backticked(row.get(3));
                for (String v : spec) assertTrue(stateFields.contains(v), v + " is not a RingState field");
            }
        assertEquals(STATUS_NOT_STARTED, doc.number("`status`: (\\d+) not started"));
        assertEquals(STATUS_READY, doc.number("not started, (\\d+) ready"));
        assertEquals(INITIAL_INDEX, doc.number("Initial values: every index (\\d+)"));
        assertEquals(INITIAL_EVENT, doc.number("both event indexes (\\d+)"));
    }

    @Test
    void interruptRoutingTableMatches() {
        Table t = doc.table("Interrupt routing");
        assertEquals(4, t.rows().size(), "interrupt routing rows");
        assertEquals(IRQ_PEND_SLOTS, doc.named("IRQ_PEND_SLOTS"));
        List<String> vmm = t.rowContaining("interrupt VMM area");
        assertEquals(IRQ_VMM_AREA_OFFSET, num(vmm.get(0)));
        assertEquals(AREA_SIZE, num(vmm.get(1)));
        assertEquals(List.of("irq_prod", "0x00"), backticked(vmm.get(2)));
        assertEquals(IRQ_PROD - IRQ_VMM_AREA_OFFSET, 0);
        List<String> iopm = t.rowContaining("interrupt IOPM area");
        assertEquals(IRQ_IOPM_AREA_OFFSET, num(iopm.get(0)));
        assertEquals(AREA_SIZE, num(iopm.get(1)));
        assertEquals(List.of("irq_cons", "0x00"), backticked(iopm.get(2)));
        assertEquals(IRQ_CONS - IRQ_IOPM_AREA_OFFSET, 0);
        List<String> beat = t.rowContaining("**beat**");
        assertEquals(BEAT_AREA_OFFSET, num(beat.get(0)));
        assertEquals(AREA_SIZE, num(beat.get(1)));
        assertEquals("beat", backticked(beat.get(2)).get(0));
        assertEquals(BEAT - BEAT_AREA_OFFSET, num(backticked(beat.get(2)).get(1)));
        List<String> pend = t.rowContaining("pending entries");
        assertEquals(IRQ_PEND_OFFSET, num(pend.get(0)));
        assertEquals((long) IRQ_PEND_SLOTS * IRQ_ENTRY_SIZE,
                doc.eval(pend.get(1).replace("IRQ_PEND_SLOTS", String.valueOf(IRQ_PEND_SLOTS)), Map.of()));
        List<String> entry = backticked(pend.get(2));
        assertEquals(List.of("dev", "0x00", "n", "0x04"), entry);
        assertEquals(IRQ_ENTRY_DEV, num(entry.get(1)));
        assertEquals(IRQ_ENTRY_N, num(entry.get(3)));
        assertEquals(INITIAL_BEAT, doc.number("Both start at (\\d+) \\(equal: the spec's `Init`"));
        for (long i : new long[] {0, 1, IRQ_PEND_SLOTS - 1, IRQ_PEND_SLOTS, (1L << 32) - 1}) {
            int off = irqEntryOffset(i);
            assertTrue(off >= IRQ_PEND_OFFSET && off + IRQ_ENTRY_SIZE <= irqEnd(), "entry of " + i);
        }
    }

    @Test
    void managementRingTableMatches() {
        Table t = doc.table("Management ring");
        assertEquals(4, t.rows().size(), "management ring rows");
        assertEquals(MGMT_SLOTS, doc.named("MGMT_SLOTS"));
        List<String> iopm = t.rowContaining("management IOPM area");
        assertEquals(MGMT_IOPM_AREA_OFFSET, num(iopm.get(0)));
        assertEquals(AREA_SIZE, num(iopm.get(1)));
        assertEquals(List.of("cmd_prod", "0x00", "ans_cons", "0x04", "ans_event", "0x08", "ipi_to_vmm", "0x0C"), backticked(iopm.get(2)));
        assertEquals(List.of(CMD_PROD, ANS_CONS, ANS_EVENT, MGMT_IPI_TO_VMM), List.of(MGMT_IOPM_AREA_OFFSET,
                MGMT_IOPM_AREA_OFFSET + 4, MGMT_IOPM_AREA_OFFSET + 8, MGMT_IOPM_AREA_OFFSET + 12));
        List<String> vmm = t.rowContaining("management VMM area");
        assertEquals(MGMT_VMM_AREA_OFFSET, num(vmm.get(0)));
        assertEquals(AREA_SIZE, num(vmm.get(1)));
        assertEquals(List.of("ans_prod", "0x00", "cmd_cons", "0x04", "cmd_event", "0x08", "ipi_to_iopm", "0x0C"), backticked(vmm.get(2)));
        assertEquals(List.of(ANS_PROD, CMD_CONS, CMD_EVENT, MGMT_IPI_TO_IOPM), List.of(MGMT_VMM_AREA_OFFSET,
                MGMT_VMM_AREA_OFFSET + 4, MGMT_VMM_AREA_OFFSET + 8, MGMT_VMM_AREA_OFFSET + 12));
        List<String> cmd = t.rowContaining("**commands**");
        assertEquals(CMD_RING_OFFSET, num(cmd.get(0)));
        assertEquals((long) MGMT_SLOTS * MGMT_SLOT_SIZE, doc.eval(cmd.get(1).replace("MGMT_SLOTS", String.valueOf(MGMT_SLOTS)), Map.of()));
        assertEquals(List.of("n", "0x00", "op", "0x04", "vcpu", "0x08"), backticked(cmd.get(2)));
        assertEquals(List.of(CMD_N, CMD_OP, CMD_VCPU), List.of(0, 4, 8));
        List<String> ans = t.rowContaining("**answers**");
        assertEquals(ANS_RING_OFFSET, num(ans.get(0)));
        assertEquals(List.of("n", "0x00", "ok", "0x04"), backticked(ans.get(2)));
        assertEquals(List.of(ANS_N, ANS_OK), List.of(0, 4));
        assertTrue(irqEnd() <= MGMT_IOPM_AREA_OFFSET && mgmtEnd() <= CHANNEL_SIZE, "after the interrupt areas, in the page");
    }

    @Test
    void packetTableMatches() {
        Table t = doc.table("Packet");
        assertEquals(Map.of("id", new Field(PKT_ID, 4), "type", new Field(PKT_TYPE, 2),
                "length", new Field(PKT_LENGTH, 2), "arg0", new Field(PKT_ARG0, 4),
                "status", new Field(PKT_STATUS, 4), "payload", new Field(PKT_PAYLOAD, PAYLOAD_MAX)), t.fields());
        assertEquals(SLOT_SIZE, doc.number("## Packet \\(one slot, `SLOT_SIZE = (\\d+)` bytes\\)"));
        assertEquals(STATUS_OK, doc.number("in responses (\\d+) OK"));
        assertEquals(STATUS_BAD_REQUEST, doc.number("OK, (\\d+) bad request"));
    }

    @Test
    void typeTableMatches() {
        Table t = doc.table("Types");
        Map<String, Long> byName = new TreeMap<>();
        for (List<String> row : t.rows()) byName.put(backticked(row.get(1)).get(0), num(row.get(0)));
        Map<String, Long> code = new TreeMap<>();
        for (PacketType p : PacketType.values()) code.put(p.name(), (long) p.requestCode());
        assertEquals(byName, code);
        // "A response's type is the request's type with bit 7 set (`0x81`, `0x82`, `0x83`)."
        assertEquals(1 << doc.number("with bit (\\d+) set"), RESPONSE_BIT);
        Matcher m = Pattern.compile("with bit \\d+ set \\(([^)]*)\\)").matcher(doc.text);
        assertTrue(m.find());
        List<Long> responses = backticked(m.group(1)).stream().map(SharedZoneLayoutTest::num).toList();
        assertEquals(Arrays.stream(PacketType.values()).map(p -> (long) p.responseCode()).toList(), responses);
    }

    // ---- the layout's own promises -------------------------------------------------------------

    @Test
    void slotOffsetStaysInTheRingForAnyU32Index() {
        long top = (1L << 32) - 1;
        qt().withExamples(3_000)
                .forAll(longs().between(0, top).mix(longs().between(top - 4 * RING_SLOTS, top)),
                        integers().between(0, 1).map(i -> i == 0 ? REQ_RING_OFFSET : rspRingOffset()))
                .checkAssert((index, ring) -> {
                    int off = slotOffset(ring, index);
                    assertTrue(off >= ring && off + SLOT_SIZE <= ring + RING_BYTES, "slot of " + index + " at " + off);
                    assertEquals(0, (off - ring) % SLOT_SIZE);
                    assertEquals((index % RING_SLOTS) * SLOT_SIZE, off - ring); // the slot is index mod RING_SLOTS
                    long next = (index + 1) & top; // unsigned 32-bit increment, wrapping at 2^32
                    assertEquals((off - ring + SLOT_SIZE) % RING_BYTES, slotOffset(ring, next) - ring);
                });
    }

    @Test
    void channelsAndAreasDoNotOverlapAndFitTheZone() {
        List<int[]> zone = new ArrayList<>();
        zone.add(new int[] {ZONE_HEADER_OFFSET, ZONE_HEADER_OFFSET + ZONE_HEADER_SIZE});
        for (int k = 0; k < MAX_IOPMS; k++) {
            int c = channelOffset(k);
            assertEquals(0, c % 0x1000, "channel " + k + " not page-aligned");
            zone.add(new int[] {c, c + CHANNEL_SIZE});
        }
        assertDisjointWithin(zone, ZONE_SIZE, "zone");
        assertThrows(IllegalArgumentException.class, () -> channelOffset(-1));
        assertThrows(IllegalArgumentException.class, () -> channelOffset(MAX_IOPMS));

        List<int[]> areas = List.of(new int[] {CHANNEL_HEADER_OFFSET, CHANNEL_HEADER_OFFSET + AREA_SIZE},
                new int[] {VMM_AREA_OFFSET, VMM_AREA_OFFSET + AREA_SIZE},
                new int[] {IOPM_AREA_OFFSET, IOPM_AREA_OFFSET + AREA_SIZE},
                new int[] {REQ_RING_OFFSET, REQ_RING_OFFSET + RING_BYTES},
                new int[] {rspRingOffset(), rspRingOffset() + RING_BYTES},
                new int[] {IRQ_VMM_AREA_OFFSET, IRQ_VMM_AREA_OFFSET + AREA_SIZE},
                new int[] {IRQ_IOPM_AREA_OFFSET, IRQ_IOPM_AREA_OFFSET + AREA_SIZE},
                new int[] {BEAT_AREA_OFFSET, BEAT_AREA_OFFSET + AREA_SIZE},
                new int[] {IRQ_PEND_OFFSET, irqEnd()});
        assertDisjointWithin(areas, CHANNEL_SIZE, "channel");
        for (int[] a : areas) assertEquals(0, a[0] % 64, "area at " + a[0] + " not on its own cache line");

        // fields inside their areas, 4-byte aligned, disjoint
        assertDisjointWithin(fields(REQ_PROD, RSP_CONS, RSP_EVENT), VMM_AREA_OFFSET + AREA_SIZE, "VMM area");
        assertDisjointWithin(fields(RSP_PROD, REQ_CONS, REQ_EVENT, STATUS, HEARTBEAT), IOPM_AREA_OFFSET + AREA_SIZE, "IOPM area");
        for (int f : new int[] {REQ_PROD, RSP_CONS, RSP_EVENT}) assertTrue(f >= VMM_AREA_OFFSET);
        for (int f : new int[] {RSP_PROD, REQ_CONS, REQ_EVENT, STATUS, HEARTBEAT}) assertTrue(f >= IOPM_AREA_OFFSET);
        assertEquals(SLOT_SIZE, PKT_PAYLOAD + PAYLOAD_MAX);
    }

    private static List<int[]> fields(int... offsets) {
        List<int[]> l = new ArrayList<>();
        for (int o : offsets) {
            assertEquals(0, o % 4, "u32 at " + o + " not aligned");
            l.add(new int[] {o, o + 4});
        }
        return l;
    }

    private static void assertDisjointWithin(List<int[]> ranges, int end, String what) {
        List<int[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        for (int i = 0; i < sorted.size(); i++) {
            assertTrue(sorted.get(i)[0] >= 0 && sorted.get(i)[1] <= end, what + ": range past " + end);
            if (i > 0) assertTrue(sorted.get(i - 1)[1] <= sorted.get(i)[0],
                    what + ": [" + sorted.get(i - 1)[0] + "," + sorted.get(i - 1)[1] + ") overlaps [" + sorted.get(i)[0] + ",...)");
        }
    }

    // ---- reading the doc ---------------------------------------------------------------------

    /** An offset (or size) and a width in bytes. */
    record Field(long offset, long size) {
    }

    /** One markdown table, under the heading it follows; rows without the header line. */
    record Table(String heading, List<List<String>> rows) {
        List<String> row(String firstBacktickedName) {
            for (List<String> r : rows)
                for (String cell : r)
                    if (!backticked(cell).isEmpty() && backticked(cell).get(0).equals(firstBacktickedName)) return r;
            return fail("no row for " + firstBacktickedName + " in table \"" + heading + "\"");
        }

        List<String> rowContaining(String text) {
            List<List<String>> hits = rows.stream().filter(r -> String.join("|", r).contains(text)).toList();
            assertEquals(1, hits.size(), "rows of \"" + heading + "\" containing \"" + text + "\"");
            return hits.get(0);
        }

        /** A field table (offset | type | field ...): first backticked name -> offset, size. */
        Map<String, Field> fields() {
            Map<String, Field> out = new HashMap<>();
            for (List<String> r : rows) {
                String name = backticked(r.get(2)).get(0);
                String type = r.get(1).trim();
                long size = switch (type) {
                    case "u16" -> 2;
                    case "u32" -> 4;
                    default -> num(type);
                };
                if (out.put(name, new Field(num(r.get(0)), size)) != null) fail("field twice in \"" + heading + "\": " + name);
            }
            return out;
        }
    }

    static final class Doc {
        final String text;
        final Map<String, Table> tables; // by heading, in order

        private Doc(String text, Map<String, Table> tables) {
            this.text = text;
            this.tables = tables;
        }

        static Doc parse(String text) {
            Map<String, Table> tables = new LinkedHashMap<>();
            String heading = "";
            List<List<String>> rows = null;
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.startsWith("#")) {
                    heading = l.replaceFirst("^#+\\s*", "");
                    rows = null;
                } else if (l.startsWith("|")) {
                    List<String> cells = new ArrayList<>(Arrays.asList(l.substring(1, l.length() - 1).split("\\|", -1)));
                    cells.replaceAll(String::strip);
                    if (rows == null) { // the header line starts a table
                        rows = new ArrayList<>();
                        tables.put(heading, new Table(heading, rows));
                    } else if (!cells.get(0).matches("-+")) {
                        rows.add(cells);
                    }
                } else {
                    rows = null; // any other line ends a table
                }
            }
            return new Doc(text, tables);
        }

        /** The table under the heading {@code heading} or {@code heading (...)}, exactly one. */
        Table table(String heading) {
            List<Table> hits = tables.values().stream()
                    .filter(t -> t.heading().equals(heading) || t.heading().startsWith(heading + " (")).toList();
            assertEquals(1, hits.size(), "tables under a heading \"" + heading + "...\": " + tables.keySet());
            return hits.get(0);
        }

        /** {@code NAME = value} as the doc writes it, the same wherever it is written. */
        long named(String name) {
            Matcher m = Pattern.compile("`" + name + " = (\\d+)`").matcher(text);
            Long v = null;
            while (m.find()) {
                long x = Long.parseLong(m.group(1));
                if (v != null) assertEquals(v, x, name + " has two values in the doc");
                v = x;
            }
            assertNotNull(v, name + " is not defined in the doc");
            return v;
        }

        Map<String, Long> names() {
            return Map.of("RING_SLOTS", named("RING_SLOTS"), "SLOT_SIZE", named("SLOT_SIZE"),
                    "MAX_IOPMS", named("MAX_IOPMS"), "PAYLOAD_MAX", named("PAYLOAD_MAX"));
        }

        /** The number in group 1 of the first match of {@code regex}. */
        long number(String regex) {
            Matcher m = Pattern.compile(regex).matcher(text);
            assertTrue(m.find(), "not in the doc: " + regex);
            return num(m.group(1));
        }

        /** Evaluates a backticked expression of the doc: numbers, names, +, *, parentheses. */
        long eval(String cell, Map<String, Long> vars) {
            Map<String, Long> all = new HashMap<>(names());
            all.putAll(vars);
            String e = cell.replace("`", "").strip();
            return new Object() {
                int i;

                long expr() {
                    long v = term();
                    while (peek('+')) v += term();
                    return v;
                }

                long term() {
                    long v = atom();
                    while (peek('*')) v *= atom();
                    return v;
                }

                long atom() {
                    skip();
                    if (peek('(')) {
                        long v = expr();
                        if (!peek(')')) fail("')' expected in " + e);
                        return v;
                    }
                    int j = i;
                    while (i < e.length() && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_')) i++;
                    String tok = e.substring(j, i);
                    if (tok.isEmpty()) fail("bad expression in the doc: " + e);
                    if (Character.isDigit(tok.charAt(0))) return num(tok);
                    Long v = all.get(tok);
                    if (v == null) fail("unknown name " + tok + " in " + e);
                    return v;
                }

                boolean peek(char c) {
                    skip();
                    if (i < e.length() && e.charAt(i) == c) {
                        i++;
                        return true;
                    }
                    return false;
                }

                void skip() {
                    while (i < e.length() && e.charAt(i) == ' ') i++;
                }

                long all() {
                    long v = expr();
                    skip();
                    if (i != e.length()) fail("trailing text in " + e);
                    return v;
                }
            }.all();
        }
    }

    /** {@code 0x1F}, {@code 64}, {@code 4 KiB}, with or without backticks. */
    static long num(String s) {
        String t = s.replace("`", "").strip();
        Matcher kib = Pattern.compile("(\\d+) KiB").matcher(t);
        if (kib.matches()) return Long.parseLong(kib.group(1)) * 1024;
        if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseLong(t.substring(2), 16);
        return Long.parseLong(t);
    }

    /** The backticked parts of a cell, in order. */
    static List<String> backticked(String cell) {
        Matcher m = Pattern.compile("`([^`]*)`").matcher(cell);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** A u32 magic as the four ASCII bytes it is in memory (little-endian). */
    static String ascii(int magic) {
        byte[] b = {(byte) magic, (byte) (magic >>> 8), (byte) (magic >>> 16), (byte) (magic >>> 24)};
        return new String(b, StandardCharsets.US_ASCII);
    }
}
