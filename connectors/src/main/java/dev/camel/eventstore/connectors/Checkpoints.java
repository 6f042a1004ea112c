package dev.camel.eventstore.connectors;

import dev.camel.eventstore.resume.EventStoreResumeStrategy;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.resume.ResumeStrategy;

/** The connector's checkpoint store: a stream per connector in EventStoreDB (default), or a Kafka topic. */
final class Checkpoints {
    private Checkpoints() {}

    static ResumeStrategy create(ConnectorSettings settings) {
        // where to start when no checkpoint is stored: checked here, with the other checkpoint settings, so that a
        // bad value names the connector's setting, not the endpoint's initialPosition it is passed to
        settings.initialPosition("initialPosition", settings.string("stream"));
        String store = settings.choice("checkpointStore", "eventstore", "kafka");
        long interval = settings.millis("checkpointInterval");
        int threshold = settings.integer("checkpointRecordsThreshold", 1);
        if (interval <= 0) {
            throw ConnectorSettings.invalid("checkpointInterval", "must be greater than 0");
        }
        if (store.equals("kafka")) {
            if (settings.camelContext().hasService(CamelClusterService.class) != null) {
                // a Kafka topic takes any write: nothing would stop a deposed replica from moving the checkpoint
                throw ConnectorSettings.invalid(
                        "checkpointStore",
                        "must be eventstore when the connectors run on several replicas (a cluster service is"
                                + " configured): only EventStoreDB refuses the checkpoint writes of a replica that"
                                + " lost its leadership, a Kafka topic takes them");
            }
            RequiredArtifact.CAMEL_KAFKA.check(settings.camelContext(), "checkpointStore=kafka");
            return KafkaCheckpoints.create(settings);
        }
        EventStoreResumeStrategy strategy = new EventStoreResumeStrategy();
        strategy.setCheckpointInterval(interval);
        strategy.setCheckpointRecordsThreshold(threshold);
        strategy.setCheckpointStreamPrefix(settings.string("checkpointStreamPrefix"));
        return strategy;
    }
}
