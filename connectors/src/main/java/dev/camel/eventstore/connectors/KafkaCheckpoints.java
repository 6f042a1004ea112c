package dev.camel.eventstore.connectors;

import org.apache.camel.processor.resume.kafka.KafkaResumeStrategyConfigurationBuilder;
import org.apache.camel.processor.resume.kafka.SingleNodeKafkaResumeStrategy;
import org.apache.camel.resume.ResumeStrategy;

/**
 * The Kafka checkpoint store, camel-kafka's own resume strategy: a class of its own so that the connectors load
 * without camel-kafka (an optional dependency) unless this store is chosen.
 */
final class KafkaCheckpoints {
    private KafkaCheckpoints() {}

    static ResumeStrategy create(ConnectorSettings settings) {
        return new SingleNodeKafkaResumeStrategy(KafkaResumeStrategyConfigurationBuilder.newBuilder()
                .withBootstrapServers(settings.required("checkpointKafkaBootstrapServers"))
                .withTopic(settings.string("checkpointKafkaTopic"))
                .build());
    }
}
