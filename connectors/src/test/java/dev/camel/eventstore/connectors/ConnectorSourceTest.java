package dev.camel.eventstore.connectors;

import static dev.camel.eventstore.connectors.Connectors.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connector's source: the server-side filters, where it starts without a checkpoint, and two connectors reading
 * the same events in one context.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectorSourceTest extends MockSinkConnectorTest {
    // ---- server-side filters ----

    @Test
    void streamNamePrefixesLetOnlyTheirStreamsThrough() throws Exception {
        appendOneEach("c1-orders-1", "c1-invoices-1", "c1-orders-2", "c1-carts-1", "c1-x-orders-3");
        MockEndpoint sink = mockConnector("c1", "streamNamePrefixes", "c1-orders-, c1-carts-");
        assertThat(streamsReceived(sink, "c1-carts-2")).containsExactly("c1-orders-1", "c1-orders-2", "c1-carts-1");
    }

    @Test
    void streamNameRegexLetsOnlyMatchingStreamsThrough() throws Exception {
        appendOneEach("c2-orders-1", "c2-invoices-1", "c2-carts-22", "c2-orders-x", "c2-orders");
        MockEndpoint sink = mockConnector("c2", "streamNameRegex", "^c2-(orders|carts)-[0-9]");
        assertThat(streamsReceived(sink, "c2-orders-3")).containsExactly("c2-orders-1", "c2-carts-22");
    }

    @Test
    void aStreamNameRegexWithAPlusWorks() throws Exception {
        appendOneEach("c14-orders-1", "c14-invoices-1", "c14-orders-22", "c14-orders-x");
        MockEndpoint sink = mockConnector("c14", "streamNameRegex", "^c14-orders-[0-9]+$");
        assertThat(streamsReceived(sink, "c14-orders-3")).containsExactly("c14-orders-1", "c14-orders-22");
    }

    @Test
    void eventTypePrefixesLetOnlyTheirTypesThrough() throws Exception {
        server().append("c3-a", List.of(event("C3OrderPlaced", 0), event("C3InvoiceSent", 1)));
        server().append("c3-b", List.of(event("C3OrderShipped", 2), event("C3CartOpened", 3), event("XC3Order", 4)));
        MockEndpoint sink = mockConnector("c3", "eventTypePrefixes", "C3Order,C3Cart");
        server().append("c3-c", List.of(event("C3OrderPlaced", 5)));
        await().atMost(WAIT).until(() -> received(sink).contains(5));
        assertThat(received(sink)).containsExactly(0, 2, 3, 5);
        assertThat(sink.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader("esdb-record-schema-subject"))
                .containsExactly("C3OrderPlaced", "C3OrderShipped", "C3CartOpened", "C3OrderPlaced");
    }

    @Test
    void eventTypeRegexLetsOnlyMatchingTypesThrough() throws Exception {
        server().append("c4-a", List.of(event("C4Placed", 0), event("C4Sent", 1), event("C4Shipped", 2)));
        server().append("c4-b", List.of(event("C4PlacedLate", 3), event("C4Shipped", 4)));
        MockEndpoint sink = mockConnector("c4", "eventTypeRegex", "^C4(Placed|Shipped)$");
        server().append("c4-c", List.of(event("C4Placed", 5)));
        await().atMost(WAIT).until(() -> received(sink).contains(5));
        assertThat(received(sink)).containsExactly(0, 2, 4, 5);
    }

    // ---- start position ----

    @Test
    void initialPositionEarliestReadsTheHistoryAndLatestOnlyNewEvents() throws Exception {
        CamelContext context = contextAfterOrders("c5-", 0, 3);
        MockEndpoint earliest = mockConnector(context, "c5-earliest", "streamNamePrefixes", "c5-");
        MockEndpoint latest =
                mockConnector(context, "c5-latest", "streamNamePrefixes", "c5-", "initialPosition", "latest");
        awaitLive(context, "c5-latest");
        server().append("c5-orders-1", numbered("OrderPlaced", 3, 2));

        await().atMost(WAIT)
                .until(() -> received(earliest).contains(4) && received(latest).contains(4));
        assertThat(received(earliest)).containsExactly(0, 1, 2, 3, 4);
        assertThat(received(latest)).containsExactly(3, 4);
    }

    @Test
    void initialPositionLatestOnlyAppliesWhenThereIsNoCheckpoint() throws Exception {
        CamelContext first = contextAfterOrders("c6-", 0, 3);
        mockConnector(first, "c6", "streamNamePrefixes", "c6-", "initialPosition", "latest");
        awaitLive(first, "c6");
        first.stop();

        // written while the connector is down: after its checkpoint, so delivered after the restart
        CamelContext second = contextAfterOrders("c6-", 3, 2);
        MockEndpoint sink = mockConnector(second, "c6", "streamNamePrefixes", "c6-", "initialPosition", "latest");
        await().atMost(WAIT).until(() -> received(sink).contains(4));
        assertThat(received(sink)).containsExactly(3, 4);
    }

    @Test
    void twoConnectorsWithTheSameSourceRunInOneContext() throws Exception {
        CamelContext context = contextAfterOrders("c13-", 0, 3);
        mockConnector(context, "c13-one", "streamNamePrefixes", "c13-", "sinkUri", "mock:c13");
        mockConnector(context, "c13-two", "streamNamePrefixes", "c13-", "sinkUri", "mock:c13");
        MockEndpoint one = context.getEndpoint("mock:c13", MockEndpoint.class);
        await().atMost(WAIT).until(() -> one.getReceivedExchanges().size() >= 6);
        assertThat(one.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader("esdb-connector-id"))
                .containsOnly("c13-one", "c13-two")
                .hasSize(6);
    }
}
