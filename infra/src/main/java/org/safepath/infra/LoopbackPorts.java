package org.safepath.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** Free loopback ports for the parts of the embedded stack, and for anything else that binds one a little later. */
public final class LoopbackPorts {
    /** Where ports are looked for when the kernel's ephemeral range leaves room below it. */
    public static final int LOWEST_PORT = 10_000;
    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final Random RANDOM = new Random();

    private LoopbackPorts() {
    }

    /**
     * A loopback port free now, for a part that binds it a few seconds later. It is chosen below the kernel's ephemeral
     * range: a port the kernel hands out (port 0) is one any outgoing connection may take in those seconds, and Kafka
     * once lost its port that way to Elasticsearch starting beside it ("Address already in use"). A port below the range
     * is taken only by a process that names it. No port is given twice in one JVM.
     * Tests use it too, for servers they start later or for a port that must stay closed.
     */
    public static synchronized int free() {
        int below = ephemeralRangeStart() - 1;
        for (int tries = 0; below - LOWEST_PORT >= 1_000 && tries < 500; tries++) {
            int port = LOWEST_PORT + RANDOM.nextInt(below - LOWEST_PORT + 1);
            if (!GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            GIVEN.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free loopback port: " + e.getMessage(), e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of Linux's ephemeral range (32768 if it cannot be read, Linux's default). */
    static int ephemeralRangeStart() {
        try {
            // Read as lines: procfs reports a size of 0, which cuts a whole-file read short.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
