package coopvmm.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's folders are: specs/, reports/, reference-vmm/. */
public final class Repo {

    private final Path root;

    private Repo(Path root) {
        this.root = root;
    }

    /**
     * The root is taken from the system property {@code coop.root}, the environment variable
     * {@code COOP_ROOT}, or the first parent of the working directory that holds specs/.
     */
    public static Repo locate() {
        String p = System.getProperty("coop.root");
        if (p == null || p.isBlank()) p = System.getenv("COOP_ROOT");
        if (p != null && !p.isBlank()) return new Repo(Path.of(p).toAbsolutePath().normalize());
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("specs")) && Files.exists(d.resolve("pom.xml")))
                return new Repo(d);
        }
        throw new IllegalStateException("cannot find the coopvmm repository (no specs/ above "
                + Path.of("").toAbsolutePath() + "); set COOP_ROOT");
    }

    public Path root() {
        return root;
    }

    public Path specs() {
        return root.resolve("specs");
    }

    public Path reports() {
        return root.resolve("reports");
    }

    /** Shows a path relative to the root when it is inside it. */
    public String show(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(root) ? root.relativize(a).toString() : a.toString();
    }
}
