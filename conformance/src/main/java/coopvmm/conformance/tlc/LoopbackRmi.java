package coopvmm.conformance.tlc;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;
import java.util.Arrays;

/**
 * Starts a TLC main class (TLCServer or TLCWorker) with every RMI socket bound to the
 * loopback interface: distributed TLC on one machine then listens on nothing another host
 * could reach. {@code java ... LoopbackRmi <main class> <its args...>}.
 */
public final class LoopbackRmi {

    private LoopbackRmi() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: LoopbackRmi <main class> [args...]");
        InetAddress lo = InetAddress.getLoopbackAddress();
        RMISocketFactory.setSocketFactory(new RMISocketFactory() {
            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(lo, port);           // every peer is on this machine
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return new ServerSocket(port, 50, lo);
            }
        });
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
