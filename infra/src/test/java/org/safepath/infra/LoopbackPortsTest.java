package org.safepath.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The ports the embedded stack gives its parts: free, never two alike, and out of the kernel's way. */
class LoopbackPortsTest {

    @Test
    void portsAreBelowTheEphemeralRangeDistinctAndBindable() throws Exception {
        int ephemeral = LoopbackPorts.ephemeralRangeStart();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = LoopbackPorts.free();
            assertThat(seen.add(port)).as("port %d given twice", port).isTrue();
            if (ephemeral - LoopbackPorts.LOWEST_PORT > 1_000) {
                assertThat(port).isBetween(LoopbackPorts.LOWEST_PORT, ephemeral - 1);
            }
        }
        int port = LoopbackPorts.free();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortInUseIsNotGiven() throws Exception {
        // Hold every port of a small stretch and ask many times: none of the held ones may come back.
        Set<Integer> held = new HashSet<>();
        java.util.List<ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int p = LoopbackPorts.LOWEST_PORT; p < LoopbackPorts.LOWEST_PORT + 2_000; p++) {
                try {
                    ServerSocket s = new ServerSocket();
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                    sockets.add(s);
                    held.add(p);
                } catch (java.io.IOException taken) {
                    held.add(p);
                }
            }
            for (int i = 0; i < 300; i++) {
                assertThat(held).doesNotContain(LoopbackPorts.free());
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
