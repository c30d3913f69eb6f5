package coopvmm.conformance.tlc;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts a TLC main class (TLCServer, TLCWorker, or TLC itself) with every RMI socket bound
 * to the loopback interface: distributed TLC on one machine then listens on nothing another
 * host could reach. {@code java ... LoopbackRmi <main class> <its args...>}.
 *
 * <p>Plain TLC needs it too: its fingerprint set is an RMI object (for distributed TLC), so
 * every run exports it and a thread waits in {@code accept()} on a port of every interface.
 * The listening sockets are also closed as the JVM exits: a thread left in native code holds
 * HotSpot's exit for 300 ms (its wait for threads in native), a fifth of a short trace
 * validation.
 */
public final class LoopbackRmi {

    private static final List<ServerSocket> OPENED = new CopyOnWriteArrayList<>();

    private LoopbackRmi() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: LoopbackRmi <main class> [args...]");
        install();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Every RMI socket of this JVM on loopback, the listening ones closed at exit; once per
     * JVM (false when a factory was already set).
     */
    public static synchronized boolean install() throws IOException {
        if (RMISocketFactory.getSocketFactory() != null) return false;
        InetAddress lo = InetAddress.getLoopbackAddress();
        RMISocketFactory.setSocketFactory(new RMISocketFactory() {
            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(lo, port);           // every peer is on this machine
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                ServerSocket s = new ServerSocket(port, 50, lo);
                OPENED.add(s);
                return s;
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(LoopbackRmi::closeAll, "close-rmi"));
        return true;
    }

    private static void closeAll() {
        for (ServerSocket s : OPENED) {
            try {
                s.close();
            } catch (IOException e) {
                // exiting anyway: a socket that does not close only costs the 300 ms
            }
        }
    }
}
