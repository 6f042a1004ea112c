package dev.camel.eventstore.connectors;

import java.util.function.UnaryOperator;
import org.apache.camel.model.TryDefinition;

/**
 * The logger connector's route template, {@value ConnectorTemplates#LOGGER}: events to Camel's {@code log:}
 * endpoint. Needs nothing beyond this library's own dependencies. Settings: {@link ConnectorTemplates#COMMON} and
 * {@link ConnectorTemplates#LOGGER_PARAMETERS}.
 */
public class LoggerSinkTemplate extends SinkTemplate {
    public LoggerSinkTemplate() {
        super(ConnectorTemplates.LOGGER, ConnectorTemplates.LOGGER_PARAMETERS, RequiredArtifact.CAMEL_LOG);
    }

    @Override
    TryDefinition sink(ConnectorRoute route) {
        return route.from("", UnaryOperator.identity())
                // the log shows the esdb-record-* headers; the consumer's own headers would repeat them
                .process(ConnectorRoute::removeConsumerHeaders)
                .to("log:{{logCategory}}?level={{logLevel}}&showBody={{includeRecordData}}&showHeaders=true"
                        + "&showBodyType=false&showExchangePattern=false");
    }
}
