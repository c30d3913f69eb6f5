package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.html.StressEntry;
import coopvmm.conformance.stress.HostHarness;
import coopvmm.conformance.stress.StressReports;
import coopvmm.conformance.stress.StressRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./coop stress ring}: the ring's C code on two host threads pinned to two cores, at
 * full speed, in rounds; each round's two v2 logs are checked as a lock-free kernel's are.
 * Bugs that are rare under QEMU are frequent on real cores. With a mutant it stops at the
 * first round that fails and says how long that took; {@code --all-mutants} does that for
 * every mutant of ring.c and prints the table.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {"Run the ring's C code on two pinned host threads in rounds and check every round's",
                "per-CPU (v2) logs: the order rebuilt (a cycle names the missing barrier), then replayed.",
                "Exit 0 every round holds, 1 a round fails (its logs are kept), 2 environment.",
                "--all-mutants: each mutant of ring.c for --seconds; the table of what caught each (exit 0)."})
final class StressCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "ring", description = "the protocol (ring)")
    String protocol;

    @Option(names = "--seconds", defaultValue = "30", description = "stop starting rounds after this long (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--requests", defaultValue = "500000", description = "requests per round (default ${DEFAULT-VALUE})")
    long requests;

    @Option(names = "--mutant", description = "a mutant of reference-vmm/mutants.txt (default: the reference ring)")
    String mutant;

    @Option(names = "--all-mutants", description = "every mutant of ring.c in turn, --seconds each; prints the table")
    boolean allMutants;

    @Option(names = "--locked", description = "one global spin lock around every step and its record, as the v1 kernel")
    boolean locked;

    @Option(names = "--one-at-a-time", description = "the VMM writes a request only when none is outstanding: both sides sleep and wake each other on every request (the windows the full barriers guard race every time)")
    boolean oneAtATime;

    @Option(names = "--lockstep", description = "one request at a time, and before each the two sides meet at a rendezvous and run their racing windows at once (the VMM's publish and notify against the IOPM's way to sleep, and back for the response), each window's store and load back to back: as a store-buffering litmus test lines up its threads")
    boolean lockstep;

    @Option(names = "--jitter", defaultValue = "0", description = "before each publish and each see_idle, a side spins a random 0..N pauses, so the two sides' windows slide across each other (default ${DEFAULT-VALUE}: none)")
    int jitter;

    @Option(names = "--stall-ms", defaultValue = "2000", description = "a side asleep this long with no IPI is a lost wakeup (default ${DEFAULT-VALUE})")
    int stallMillis;

    @Option(names = "--keep", description = "keep the logs of rounds that hold too (about 100 bytes an event)")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if (!protocol.equals("ring")) {
            System.err.println("coop stress: only the ring has a host harness, not " + protocol);
            return Coop.USAGE;
        }
        if (requests < 1 || requests > 20_000_000 || seconds <= 0) {
            System.err.println("coop stress: --requests is 1..20000000 and --seconds above 0");
            return Coop.USAGE;
        }
        Repo repo = Repo.locate();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        if (jitter < 0 || jitter > 1_000_000) {
            System.err.println("coop stress: --jitter is 0..1000000 pauses");
            return Coop.USAGE;
        }
        StressRun.Options o = new StressRun.Options(seconds, requests, locked, oneAtATime, lockstep, jitter, stallMillis, keep);
        if (allMutants) return allMutants(repo, repo.reports().resolve("stress").resolve(stamp + "-mutants"), o);
        Path base = repo.reports().resolve("stress").resolve(stamp + "-" + (mutant == null ? "ref" : mutant));
        HostHarness h;
        try {
            h = HostHarness.build(repo, mutant);
        } catch (HostHarness.Unavailable e) {
            System.err.println("coop stress: " + e.getMessage());
            return Coop.USAGE;
        }
        Files.createDirectories(base);
        System.out.printf(Locale.ROOT, "stress ring: %s on 2 host threads%s%s, rounds of %,d requests, %.0f s; logs in %s%n",
                mutant == null ? "the reference ring" : "mutant " + mutant, locked ? " (locked)" : "",
                lockstep ? " (in lockstep)" : oneAtATime ? " (one request at a time)" : "", requests, seconds,
                repo.show(base));
        System.out.println(StressRun.HEADER);
        StressRun.Outcome r = StressRun.run(h, o, base, System.out);
        StressReports.write(repo, base, mutant, false, o, List.of(StressReports.entry(repo, mutant, o, r)), System.err);
        if (r.exit() == Coop.USAGE) {
            System.err.println("coop stress: " + r.failure());
            return Coop.USAGE;
        }
        if (r.caught()) {
            System.out.println("  " + r.failure().replace("\n", "\n  "));
            System.out.printf(Locale.ROOT, "stress ring: caught in round %d, %.1f s after the start (%.2f s of traffic,"
                    + " %,d requests); the round's logs are kept in %s%n", r.rounds(), r.wallNanos() / 1e9,
                    r.trafficNanos() / 1e9, r.answered(), repo.show(r.failedRound()));
            System.out.println("  reproduce: " + StressRun.reproduce(mutant, o));
            System.out.println("  reports: " + repo.show(base) + " (summary.json, junit.xml, report.html)");
            System.out.println((r.rounds() - 1) + " passed, 1 failed");
            return Coop.FAILURE;
        }
        System.out.printf(Locale.ROOT, "stress ring: %d round(s), %,d requests, %,d events in %.1f s: traffic %,.0f requests/s"
                        + " (%.1f s), all of it checked at %,.0f events/s (%.1f s)%n", r.rounds(), r.answered(), r.events(),
                r.wallNanos() / 1e9, r.answered() * 1e9 / r.trafficNanos(), r.trafficNanos() / 1e9,
                r.events() * 1e9 / r.checkNanos(), r.checkNanos() / 1e9);
        System.out.println("reports: " + repo.show(base) + " (summary.json, junit.xml, report.html)");
        System.out.println(r.rounds() + " passed, 0 failed");
        return Coop.OK;
    }

    /** Each mutant of ring.c for --seconds: caught or not, when, by what. */
    private int allMutants(Repo repo, Path base, StressRun.Options o) throws Exception {
        List<String> names = ringMutants(repo);
        Files.createDirectories(base);
        System.out.printf(Locale.ROOT, "stress ring: %d mutants of ring.c, up to %.0f s each, rounds of %,d requests; logs in %s%n",
                names.size(), seconds, requests, repo.show(base));
        StringBuilder table = new StringBuilder("| mutant | caught | round | seconds (traffic) | requests | verdict |\n|---|---|---|---|---|---|\n");
        List<StressEntry> entries = new ArrayList<>();
        for (String m : names) {
            HostHarness h;
            try {
                h = HostHarness.build(repo, m);
            } catch (HostHarness.Unavailable e) {
                System.err.println("coop stress: " + e.getMessage());
                return Coop.USAGE;
            }
            StressRun.Outcome r = StressRun.run(h, o, base.resolve(m), null);
            entries.add(StressReports.entry(repo, m, o, r));
            String verdict = r.caught() ? r.failure().lines().findFirst().orElse("") : "-";
            String row = String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %s |%n", m,
                    r.caught() ? "yes" : "no, in " + r.rounds() + " rounds", r.caught() ? Integer.toString(r.rounds()) : "-",
                    r.caught() ? String.format(Locale.ROOT, "%.1f (%.2f)", r.wallNanos() / 1e9, r.trafficNanos() / 1e9) : "-",
                    r.answered(), verdict.replace("|", "/"));
            System.out.print(row);
            table.append(row);
        }
        Path md = base.resolve("mutants.md");
        Files.writeString(md, table, StandardCharsets.UTF_8);
        StressReports.write(repo, base, null, true, o, entries, System.err);
        System.out.println("kept in " + repo.show(md) + " (and summary.json, junit.xml, report.html)");
        return Coop.OK;
    }

    /** The mutants whose MUTANT_ macro ring/ring.c tests, in mutants.txt's order. */
    static List<String> ringMutants(Repo repo) throws Exception {
        Path vmm = repo.root().resolve("reference-vmm");
        TreeSet<String> inRing = new TreeSet<>();
        Matcher m = Pattern.compile("MUTANT_([A-Z_]+)").matcher(Files.readString(vmm.resolve("ring/ring.c")));
        while (m.find()) inRing.add(m.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(vmm.resolve("mutants.txt")))
            if (!line.startsWith("#") && inRing.contains(line.strip())) out.add(line.strip());
        return out;
    }
}
