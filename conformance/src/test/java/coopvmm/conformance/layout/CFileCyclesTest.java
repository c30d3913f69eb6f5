package coopvmm.conformance.layout;

import coopvmm.conformance.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No cycles between the reference VMM's C files: each file's callers sit above it. */
class CFileCyclesTest {

    @Test
    void theReferenceVmmHasNoCycleBetweenFiles() throws Exception {
        Path root = Repo.locate().root().resolve("reference-vmm");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".c") && !root.relativize(p).startsWith("build")).sorted().toList();
        }
        assertTrue(files.size() > 20, "found the C files: " + files);
        assertEquals(List.of(), CCallGraph.of(files).cycles());
    }

    @Test
    void aCycleIsFoundAndNamed() throws Exception {
        Path dir = Files.createTempDirectory("c-cycle");
        Path a = Files.writeString(dir.resolve("a.c"), "/* a */\nint a_top(void)\n{\n    return b_mid();\n}\n"
                + "static int a_own(void) { return 0; }\n");
        Path b = Files.writeString(dir.resolve("b.c"), "int b_mid(void)\n{\n    return c_low();\n}\n");
        Path c = Files.writeString(dir.resolve("c.c"), "__attribute__((noreturn)) void c_low(void)\n{\n    a_top();\n}\n");
        Path d = Files.writeString(dir.resolve("d.c"), "int d_leaf(void)\n{\n    return a_own();\n}\n");
        List<List<String>> cycles = CCallGraph.of(List.of(a, b, c, d)).cycles();
        assertEquals(1, cycles.size(), cycles::toString);
        assertEquals(3, cycles.get(0).size(), cycles::toString);
        assertTrue(cycles.get(0).contains("c.c -> a.c [a_top]"), cycles::toString);
        // a static function makes no edge; one-way calls are no cycle
        assertEquals(List.of(), CCallGraph.of(List.of(a, b, d)).cycles());
    }
}
