package dev.camel.eventstore.testkit;

import com.eventstore.dbclient.proto.gossip.GossipGrpc;
import com.eventstore.dbclient.proto.gossip.GossipOuterClass;
import com.eventstore.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import com.eventstore.dbclient.proto.serverfeatures.Serverfeatures;
import com.eventstore.dbclient.proto.shared.Shared;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.function.IntSupplier;

/** Gossip and server features: what a client asks before anything else, answered for a single leader node. */
final class ClusterServices {
    private static final String STREAMS = "event_store.client.streams.streams";

    private ClusterServices() {}

    static final class ServerFeatures extends ServerFeaturesGrpc.ServerFeaturesImplBase {
        private final Serverfeatures.SupportedMethods methods;

        ServerFeatures(String serverVersion) {
            Serverfeatures.SupportedMethods.Builder builder =
                    Serverfeatures.SupportedMethods.newBuilder().setEventStoreServerVersion(serverVersion);
            // BatchAppend is deliberately absent: the server does not implement it, and the 5.4.5 client never uses it
            for (String method : new String[] {"read", "append", "delete", "tombstone"}) {
                builder.addMethods(Serverfeatures.SupportedMethod.newBuilder()
                        .setServiceName(STREAMS)
                        .setMethodName(method));
            }
            builder.addMethods(Serverfeatures.SupportedMethod.newBuilder()
                    .setServiceName("event_store.client.gossip.gossip")
                    .setMethodName("read"));
            this.methods = builder.build();
        }

        @Override
        public void getSupportedMethods(
                Shared.Empty request, StreamObserver<Serverfeatures.SupportedMethods> responseObserver) {
            responseObserver.onNext(methods);
            responseObserver.onCompleted();
        }
    }

    static final class Gossip extends GossipGrpc.GossipImplBase {
        private final UUID instanceId = UUID.randomUUID();
        private final String host;
        private final IntSupplier port;

        Gossip(String host, IntSupplier port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public void read(Shared.Empty request, StreamObserver<GossipOuterClass.ClusterInfo> responseObserver) {
            GossipOuterClass.MemberInfo self = GossipOuterClass.MemberInfo.newBuilder()
                    .setInstanceId(ProposedEvent.uuid(instanceId))
                    .setTimeStamp(System.currentTimeMillis() * 10_000L)
                    .setState(GossipOuterClass.MemberInfo.VNodeState.Leader)
                    .setIsAlive(true)
                    .setHttpEndPoint(GossipOuterClass.EndPoint.newBuilder()
                            .setAddress(host)
                            .setPort(port.getAsInt()))
                    .build();
            responseObserver.onNext(
                    GossipOuterClass.ClusterInfo.newBuilder().addMembers(self).build());
            responseObserver.onCompleted();
        }
    }
}
