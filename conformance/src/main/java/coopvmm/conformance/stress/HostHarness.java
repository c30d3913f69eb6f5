package coopvmm.conformance.stress;

import coopvmm.conformance.Repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The host build of the ring ({@code reference-vmm/host/ring_stress.c}): {@code make host}
 * builds it (one binary per mutant), {@link #run} runs one round of it. A round is an
 * independent run from the spec's Init: a fresh channel, a VMM thread and an IOPM thread
 * pinned to two cores, each writing its own trace format v2 log.
 */
public final class HostHarness {

    /** What one round printed: its summary line. */
    public record Round(long requests, long answered, long events, long nanos, boolean stalled,
                        long badResponses, String mutant, Path dir) {
        public double requestsPerSecond() {
            return nanos == 0 ? 0 : answered * 1e9 / nanos;
        }

        public List<Path> logs() {
            return List.of(dir.resolve("cpu0.log"), dir.resolve("cpu1.log"));
        }
    }

    /** The harness could not be built or run (exit 2 for the caller). */
    public static final class Unavailable extends Exception {
        public Unavailable(String why) {
            super(why);
        }
    }

    private final Path binary;

    private HostHarness(Path binary) {
        this.binary = binary;
    }

    /** Builds the harness (the reference ring, or a mutant of reference-vmm/mutants.txt). */
    public static HostHarness build(Repo repo, String mutant) throws Unavailable, IOException, InterruptedException {
        Path dir = repo.root().resolve("reference-vmm");
        List<String> cmd = new ArrayList<>(List.of("make", "-s", "-C", dir.toString(), "host"));
        if (mutant != null) cmd.add("MUTANT=" + mutant);
        Path log = Files.createTempFile("coop-stress-make", ".log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new Unavailable("cannot run make (apt-get install -y make gcc): " + e.getMessage());
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new Unavailable("make host did not finish in 5 minutes");
        }
        if (p.exitValue() != 0) {
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            throw new Unavailable("make host" + (mutant != null ? " MUTANT=" + mutant : "") + " failed: "
                    + out.lines().reduce((a, b) -> b).orElse("(no output)"));
        }
        Files.deleteIfExists(log);
        Path bin = dir.resolve("build/host").resolve(mutant == null ? "ring-stress" : "ring-stress-" + mutant);
        if (!Files.isExecutable(bin)) throw new Unavailable("make host built no " + bin);
        return new HostHarness(bin);
    }

    /**
     * One round of {@code requests} requests into {@code dir}. A run that does not end within
     * {@code timeoutSeconds} is killed (a hung harness is an environment error).
     */
    public Round run(long requests, Path dir, int stallMillis, boolean locked, boolean oneAtATime, boolean lockstep,
                     int jitter, long timeoutSeconds)
            throws Unavailable, IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--requests", Long.toString(requests),
                "--out", dir.toString(), "--stall-ms", Integer.toString(stallMillis)));
        if (locked) cmd.add("--locked");
        if (oneAtATime) cmd.add("--one-at-a-time");
        if (lockstep) cmd.add("--lockstep");
        if (jitter > 0) cmd.addAll(List.of("--jitter", Integer.toString(jitter)));
        Path out = dir.resolve("harness.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new Unavailable("the host harness did not end in " + timeoutSeconds + " s (killed; its logs are in " + dir + ")");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        String line = text.lines().filter(l -> l.startsWith("stress ")).reduce((a, b) -> b).orElse(null);
        if (line == null || p.exitValue() > 1)
            throw new Unavailable("the host harness failed (exit " + p.exitValue() + "): " + text.strip());
        Map<String, String> kv = new HashMap<>();
        for (String tok : line.substring("stress ".length()).split(" ")) {
            int eq = tok.indexOf('=');
            if (eq > 0) kv.put(tok.substring(0, eq), tok.substring(eq + 1));
        }
        return new Round(num(kv, "requests"), num(kv, "answered"), num(kv, "events"), num(kv, "ns"),
                num(kv, "stalled") != 0, num(kv, "bad_responses"), kv.getOrDefault("mutant", "?"), dir);
    }

    private static long num(Map<String, String> kv, String k) throws Unavailable {
        String v = kv.get(k);
        if (v == null) throw new Unavailable("the host harness's summary has no " + k);
        return Long.parseLong(v);
    }
}
