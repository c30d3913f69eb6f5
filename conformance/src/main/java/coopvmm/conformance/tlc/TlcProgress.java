package coopvmm.conformance.tlc;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a running TLC, read every {@link #PERIOD_SECONDS} from its
 * {@code tlc2.tool:type=ModelChecker} MXBean: states generated, distinct, the queue, states/s.
 * After the first period the watcher attaches to the child JVM (the Attach API: same user, no
 * network) and starts its local management agent, so a run shorter than a period costs
 * nothing and prints nothing. On a terminal one line redrawn in place; elsewhere one plain
 * line per period.
 */
final class TlcProgress implements AutoCloseable {

    static final long PERIOD_SECONDS = 10;
    private static final String MBEAN = "tlc2.tool:type=ModelChecker";

    private final String what;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private Thread watcher;
    private volatile boolean done;
    private boolean drew;
    private long lastGen, lastAt;

    TlcProgress(String what, PrintStream out) {
        this.what = what;
        this.out = out;
    }

    void start(Process p) {
        watcher = new Thread(() -> watch(p.pid()), "tlc-progress");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Watches a TLC running in this JVM: its MXBean is in this JVM's own MBean server. */
    void startInProcess() {
        watcher = new Thread(() -> watch(-1), "tlc-progress");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** {@code pid} -1: this JVM. */
    private void watch(long pid) {
        long t0 = System.nanoTime();
        JMXConnector c = null;
        try {
            while (!done) {
                sleep();
                if (done) break;
                try {
                    if (c == null && pid >= 0) c = JMXConnectorFactory.connect(new JMXServiceURL(localAgent(pid)));
                    MBeanServerConnection m = pid < 0 ? java.lang.management.ManagementFactory.getPlatformMBeanServer()
                            : c.getMBeanServerConnection();
                    ObjectName n = new ObjectName(MBEAN);
                    long gen = (Long) m.getAttribute(n, "StatesGenerated");
                    long distinct = (Long) m.getAttribute(n, "DistinctStatesGenerated");
                    long queue = (Long) m.getAttribute(n, "StateQueueSize");
                    long now = System.nanoTime(), secs = TimeUnit.NANOSECONDS.toSeconds(now - t0);
                    // TLC's own per-minute figure is refreshed once a minute: the rate over this period instead
                    long rate = lastAt == 0 ? gen / Math.max(1, secs) : (gen - lastGen) * 1_000_000_000L / Math.max(1, now - lastAt);
                    lastGen = gen;
                    lastAt = now;
                    String line = String.format("  progress %s: %,d states generated, %,d distinct, %,d on the queue, %,d states/s, %d s",
                            what, gen, distinct, queue, rate, secs);
                    synchronized (out) {
                        if (terminal) out.print("\r" + line + "   ");
                        else out.println(line);
                        drew = true;
                    }
                } catch (Exception e) {
                    // not up yet (parsing), or already gone: try again next period
                    if (c != null) {
                        try {
                            c.close();
                        } catch (IOException ignored) {
                            // closing a dead connection
                        }
                        c = null;
                    }
                }
            }
        } finally {
            if (c != null) try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** The child's local JMX connector address (its agent started if need be). */
    private static String localAgent(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(PERIOD_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        done = true;
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(TimeUnit.SECONDS.toMillis(2));
        }
        synchronized (out) {
            if (terminal && drew) out.println();
        }
    }
}
