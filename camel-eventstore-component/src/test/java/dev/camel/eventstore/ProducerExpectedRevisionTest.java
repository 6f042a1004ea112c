package dev.camel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.WrongExpectedVersionException;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateProducerException;
import org.junit.jupiter.api.Test;

/** The producer's optimistic concurrency: expectedRevision from the option or the header, and what is invalid. */
class ProducerExpectedRevisionTest extends ProducerTestSupport {
    @Test
    void expectedRevisionAnyAlwaysAppends() throws Exception {
        String to = uri(server, stream, "eventType=E&expectedRevision=any");
        assertThat(send(to, "{\"n\":0}", null).getException()).isNull();
        assertThat(send(to, "{\"n\":1}", null).getException()).isNull();
        assertThat(send(to, "{\"n\":2}", "any").getException()).isNull();
        assertThat(read(stream)).hasSize(3);
    }

    @Test
    void expectedRevisionNoStream() throws Exception {
        String to = uri(server, stream, "eventType=E&expectedRevision=no_stream");
        assertThat(send(to, "{\"n\":0}", null).getException()).isNull();

        Exchange second = send(to, "{\"n\":1}", null);
        assertThat(second.getException()).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.getStreamName()).isEqualTo(stream);
            assertThat(e.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(0));
            // the 5.4.5 client reads the server's expected_no_stream answer as revision 0 (it maps only
            // expected_any and expected_stream_exists): the exchange carries the client's exception as it is
            assertThat(e.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
        });
        assertThat(read(stream)).hasSize(1);
    }

    @Test
    void expectedRevisionStreamExists() throws Exception {
        String to = uri(server, stream, "eventType=E");
        Exchange missing = send(to, "{\"n\":0}", "stream_exists");
        assertThat(missing.getException()).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.getNextExpectedRevision()).isEqualTo(ExpectedRevision.streamExists());
            assertThat(e.getActualVersion()).isEqualTo(ExpectedRevision.noStream());
        });
        assertThat(streamExists(stream)).isFalse();

        assertThat(send(to, "{\"n\":0}", null).getException()).isNull();
        assertThat(send(to, "{\"n\":1}", "stream_exists").getException()).isNull();
        assertThat(read(stream)).hasSize(2);
    }

    @Test
    void anExactExpectedRevisionFromTheHeaderWinsOverTheOption() throws Exception {
        // the option says no_stream; the header, as text or as a number, says where the stream must be
        String to = uri(server, stream, "eventType=E&expectedRevision=no_stream");
        Exchange first = send(to, "{\"n\":0}", null);
        assertThat(first.getException()).isNull();
        Object next = first.getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION);
        assertThat(next).isEqualTo(0L);
        // optimistic concurrency: feed the result header back
        Exchange second = send(to, "{\"n\":1}", next);
        assertThat(second.getException()).isNull();
        assertThat(send(to, "{\"n\":2}", "1").getException()).isNull();

        Exchange stale = send(to, "{\"n\":3}", "1");
        assertThat(stale.getException()).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
            assertThat(e.getStreamName()).isEqualTo(stream);
            assertThat(e.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
            assertThat(e.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(2));
        });
        assertThat(read(stream))
                .extracting(ProducerTestSupport::text)
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void invalidExpectedRevisionsAreRejected() {
        Exchange result = send(uri(server, stream, "eventType=E"), "{}", "-3");
        assertThat(result.getException())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid expected revision '-3'");
        assertThat(streamExists(stream)).isFalse();

        assertThatThrownBy(() -> template.sendBody(uri(server, stream, "eventType=E&expectedRevision=latest"), "{}"))
                .isInstanceOf(FailedToCreateProducerException.class)
                .rootCause()
                .hasMessageContaining("Invalid expected revision 'latest'");
    }
}
