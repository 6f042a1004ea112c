package dev.camel.eventstore.testkit;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** The transport: a Netty gRPC server set up as the real client expects (keep-alive, message size, TLS, Basic auth). */
final class GrpcListener {
    private static final int MAX_INBOUND_MESSAGE_SIZE = 32 * 1024 * 1024;

    private GrpcListener() {}

    /**
     * Listens on {@code host:port} (port 0 picks a free one; {@link Server#getPort()} tells which).
     *
     * @param users the only credentials let in; empty for no authentication
     * @param certificate what to serve TLS with, {@code null} for plain text
     * @param connections counts the client connections
     * @throws UncheckedIOException when the port cannot be bound
     */
    static Server start(
            String host,
            int port,
            List<ServerServiceDefinition> services,
            Map<String, String> users,
            SelfSignedCertificate certificate,
            ConnectionCounter connections) {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .directExecutor()
                .addTransportFilter(connections)
                .withOption(ChannelOption.SO_REUSEADDR, true)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                // the client pings every 10 s; grpc-java's default policy would answer with GOAWAY too_many_pings
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        for (ServerServiceDefinition service : services) {
            builder.addService(
                    users.isEmpty() ? service : ServerInterceptors.intercept(service, new BasicAuthInterceptor(users)));
        }
        if (certificate != null) {
            try {
                builder.sslContext(GrpcSslContexts.forServer(
                                certificate.certificateFile.toFile(), certificate.privateKeyFile.toFile())
                        .build());
            } catch (SSLException e) {
                throw new IllegalStateException("Cannot set up TLS", e);
            }
        }
        Server started = builder.build();
        try {
            return started.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Ends every call and connection at once, as a crashed server would, and waits for the threads to finish. */
    static void stopNow(Server server) {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
