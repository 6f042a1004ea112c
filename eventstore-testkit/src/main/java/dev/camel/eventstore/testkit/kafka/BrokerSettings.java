package dev.camel.eventstore.testkit.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration of a single-node KRaft broker on loopback, as given to Kafka. */
final class BrokerSettings {
    private static final int NODE_ID = 1;

    private BrokerSettings() {}

    /**
     * Broker and controller in one process, replication 1 everywhere, then the user's overrides, applied last so that
     * they win.
     */
    static Map<String, String> serverProperties(
            int port,
            int controllerPort,
            Path logDir,
            int numPartitions,
            int internalTopicPartitions,
            Map<String, String> overrides) {
        String host = KafkaTestBroker.HOST;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        p.put("num.partitions", Integer.toString(numPartitions));
        p.put("auto.create.topics.enable", "true");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Single node: internal topics must not ask for three replicas, or groups and transactions stall.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", Integer.toString(internalTopicPartitions));
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", Integer.toString(internalTopicPartitions));
        // The first consumer group member joins at once instead of after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The 128 MiB default is wasteful in tests.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        // Fail instead of hanging forever when something keeps the broker from coming up.
        p.put("server.max.startup.time.ms", "60000");

        p.putAll(overrides);
        return p;
    }
}
