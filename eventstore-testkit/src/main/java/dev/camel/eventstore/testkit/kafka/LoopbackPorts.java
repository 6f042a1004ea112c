package dev.camel.eventstore.testkit.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The broker's two loopback ports: picked free when none were given, and checked free before each start. */
final class LoopbackPorts {
    private LoopbackPorts() {}

    /**
     * The broker and controller ports: the given ones, with 0 replaced by a free port that is not the other one.
     *
     * @return {@code {brokerPort, controllerPort}}
     * @throws IllegalArgumentException if both end up the same
     */
    static int[] pick(int port, int controllerPort) {
        int[] free = freePorts(2);
        int brokerPort = port != 0 ? port : (free[0] != controllerPort ? free[0] : free[1]);
        int quorumPort = controllerPort != 0 ? controllerPort : (free[1] != brokerPort ? free[1] : free[0]);
        if (brokerPort == quorumPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + brokerPort);
        }
        return new int[] {brokerPort, quorumPort};
    }

    /**
     * Fails with a message naming the role and port when something else listens there: Kafka's own bind failure
     * comes wrapped deep in its start-up error.
     */
    static void requireFree(int port, String role) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port));
        } catch (IOException e) {
            throw new KafkaTestBrokerException(
                    "Kafka test broker cannot start: " + role + " port " + KafkaTestBroker.HOST + ":" + port
                            + " is already in use (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Distinct free loopback ports, all held open together so that none is picked twice. */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(loopback(), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new KafkaTestBrokerException(
                    "Could not find a free port on " + KafkaTestBroker.HOST + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Nothing was accepted on it.
                }
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(KafkaTestBroker.HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // Cannot happen for a four-byte address.
        }
    }
}
