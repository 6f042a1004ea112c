package dev.camel.eventstore.connectors;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import org.apache.camel.processor.resume.kafka.KafkaResumeStrategyConfigurationBuilder;
import org.apache.camel.processor.resume.kafka.SingleNodeKafkaResumeStrategy;
import org.apache.camel.resume.ResumeStrategy;

/** The connector's checkpoint store: a stream per connector in EventStoreDB (default), or a Kafka topic. */
final class Checkpoints {
    private Checkpoints() {}

    static ResumeStrategy create(ConnectorSettings settings) {
        // where to start when no checkpoint is stored: checked here, with the other checkpoint settings, so that a
        // bad value names the connector's setting, not the endpoint's initialPosition it is passed to
        settings.initialPosition("initialPosition", "latest", settings.string("stream", "$all"));
        String store = settings.choice("checkpointStore", "eventstore", "eventstore", "kafka");
        long interval = settings.millis("checkpointInterval", 5000);
        int threshold = settings.integer("checkpointRecordsThreshold", 1000, 1);
        if (interval <= 0) {
            throw ConnectorSettings.invalid("checkpointInterval", "must be greater than 0");
        }
        if (store.equals("kafka")) {
            return new SingleNodeKafkaResumeStrategy(KafkaResumeStrategyConfigurationBuilder.newBuilder()
                    .withBootstrapServers(settings.required("checkpointKafkaBootstrapServers"))
                    .withTopic(settings.string("checkpointKafkaTopic", "eventstore-connector-checkpoints"))
                    .build());
        }
        EventStoreResumeStrategy strategy = new EventStoreResumeStrategy();
        strategy.setCheckpointInterval(interval);
        strategy.setCheckpointRecordsThreshold(threshold);
        strategy.setCheckpointStreamPrefix(settings.string("checkpointStreamPrefix", "camel-checkpoint-"));
        return strategy;
    }
}
