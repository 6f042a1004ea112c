package dev.camel.eventstore.connectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camel.eventstore.EventStoreConsumer;
import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.resume.Checkpoint;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.LoggerFactory;

/** What the connector tests share: contexts with the templates, connectors, test events, checkpoints, logs. */
final class Connectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Connectors() {}

    /** A started CamelContext holding {@link ConnectorTemplates}, and no route yet. */
    static CamelContext context() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new ConnectorTemplates());
        context.start();
        return context;
    }

    /** Parameters as name, value, name, value, ... in a map that keeps their order. */
    static Map<String, String> parameters(String... nameValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put(nameValue[i], nameValue[i + 1]);
        }
        return map;
    }

    /** Creates (and, in a started context, starts) a connector from a template. */
    static void add(CamelContext context, String template, String routeId, Map<String, String> parameters) {
        TemplatedRouteBuilder builder =
                TemplatedRouteBuilder.builder(context, template).routeId(routeId);
        parameters.forEach(builder::parameter);
        builder.add();
    }

    static EventStoreConsumer consumer(CamelContext context, String routeId) {
        return (EventStoreConsumer) context.getRoute(routeId).getConsumer();
    }

    /** The JSON data of numbered test event {@code n}. */
    static byte[] json(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Numbered JSON events {@code from} to {@code from + count - 1}, of the given type. */
    static List<EventData> numbered(String type, int from, int count) {
        List<EventData> events = new ArrayList<>(count);
        for (int n = from; n < from + count; n++) {
            events.add(EventDataBuilder.json(type, json(n)).build());
        }
        return events;
    }

    /** The number in a numbered event's JSON data. */
    static int number(byte[] data) {
        try {
            JsonNode n = JSON.readTree(data).get("n");
            if (n == null || !n.isInt()) {
                throw new AssertionError("not a numbered event: " + text(data));
            }
            return n.intValue();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(data), e);
        }
    }

    static EventStoreDBClient client(EventStoreTestServer server) {
        return EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(server.connectionString()));
    }

    /** The position stored in the newest event of a checkpoint stream, or {@code null} when there is none. */
    static String storedCheckpoint(EventStoreDBClient client, String stream) throws Exception {
        List<ResolvedEvent> events;
        try {
            events = client.readStream(
                            stream,
                            ReadStreamOptions.get().backwards().fromEnd().maxCount(1))
                    .get(10, TimeUnit.SECONDS)
                    .getEvents();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return null;
            }
            throw e;
        }
        if (events.isEmpty()) {
            return null;
        }
        return Checkpoint.fromJson(events.get(0).getOriginalEvent().getEventData())
                .position();
    }

    /** The $all position of a stream's event, as the server reports it. */
    static SubscriptionPosition positionOf(EventStoreDBClient client, String stream, long revision) throws Exception {
        return SubscriptionPosition.ofAll(client.readStream(
                        stream, ReadStreamOptions.get().fromRevision(revision).maxCount(1))
                .get(10, TimeUnit.SECONDS)
                .getEvents()
                .get(0)
                .getOriginalEvent()
                .getPosition());
    }

    /**
     * The parameters of a connector reading, from the start, the streams whose names start with {@code prefix},
     * followed by {@code more} (name, value, ...).
     */
    static Map<String, String> fromStart(EventStoreTestServer server, String prefix, String... more) {
        Map<String, String> map = parameters(
                "connectionString",
                server.connectionString(),
                "initialPosition",
                "earliest",
                "streamNamePrefixes",
                prefix);
        map.putAll(parameters(more));
        return map;
    }

    /** Captures what one logger logs. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        private final Level previousLevel;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture(String name) {
            this(name, null);
        }

        /** With {@code level} set on the logger until closed ({@code null}: leave it). */
        LogCapture(String name, Level level) {
            logger = (Logger) LoggerFactory.getLogger(name);
            previousLevel = logger.getLevel();
            if (level != null) {
                logger.setLevel(level);
            }
            appender.setContext(logger.getLoggerContext());
            appender.start();
            logger.addAppender(appender);
        }

        List<ILoggingEvent> events() {
            synchronized (appender) { // AppenderBase appends under this lock
                return new ArrayList<>(appender.list);
            }
        }

        List<String> messages() {
            return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            appender.stop();
            logger.setLevel(previousLevel);
        }
    }
}
