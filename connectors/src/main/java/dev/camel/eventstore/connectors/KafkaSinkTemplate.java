package dev.camel.eventstore.connectors;

import java.util.List;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The Kafka connector's route template, {@value ConnectorTemplates#KAFKA}: each event a record of a topic. Needs
 * {@code org.apache.camel:camel-kafka} (an optional dependency of this library) on the class path; without it,
 * creating a connector fails with a message naming it. Settings: {@link ConnectorTemplates#COMMON} and {@link
 * ConnectorTemplates#KAFKA_PARAMETERS}.
 */
public class KafkaSinkTemplate extends SinkTemplate {
    public KafkaSinkTemplate() {
        super(ConnectorTemplates.KAFKA, ConnectorTemplates.KAFKA_PARAMETERS, RequiredArtifact.CAMEL_KAFKA);
    }

    @Override
    TryDefinition sink(ConnectorRoute route) {
        route.bean("kafkaKey", KafkaKey.class, KafkaKey::create);
        route.bean("kafkaHeaderFilter", HeaderFilterStrategy.class, s -> KafkaSupport.headerFilter());
        // the settings check accepts these in other spellings (EventStoreDB's Zstd, saslSsl, scramSha256) that Kafka
        // refuses, naming its own config rather than the setting: the endpoint gets the matched choice as Kafka
        // spells it (ConnectorSettings.choice, as the HTTP sink gets its method), as a bean, since a template
        // parameter's placeholder gives the text as written. A String option takes a bean with #bean: (a plain #name
        // is passed on as text)
        for (String option : List.of("acks", "compression", "securityProtocol", "saslMechanism")) {
            route.bean(
                    "kafka" + Character.toUpperCase(option.charAt(0)) + option.substring(1),
                    String.class,
                    s -> SettingsCheck.value(s, option));
        }
        return route.from("", KafkaSupport::classify)
                .process("{{kafkaKey}}")
                .to("kafka:{{topic}}?brokers={{bootstrapServers}}&requestRequiredAcks=#bean:{{kafkaAcks}}"
                        // one thread continues the exchanges Kafka acknowledged, in the order it acknowledged them:
                        // camel-kafka's default pool (10 to 20 threads) spread the completions of one acknowledged
                        // batch over many threads, each woken for one event: two thirds more CPU per event there
                        + "&workerPoolCoreSize=1&workerPoolMaxSize=1&headerFilterStrategy=#{{kafkaHeaderFilter}}"
                        + "&enableIdempotence={{idempotence}}&compressionCodec=#bean:{{kafkaCompression}}"
                        + "&lingerMs={{lingerMs}}&producerBatchSize={{producerBatchSize}}"
                        + "&securityProtocol=#bean:{{kafkaSecurityProtocol}}"
                        + "&saslMechanism=#bean:{{kafkaSaslMechanism}}"
                        + "&saslJaasConfig={{?saslJaasConfig}}&sslTruststoreLocation={{?sslTruststoreLocation}}"
                        + "&sslTruststorePassword={{?sslTruststorePassword}}"
                        // the body is the event's bytes: a String serializer would mangle binary data
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer");
    }
}
