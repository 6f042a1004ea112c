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
        appended(to, "{\"n\":0}", null);
        appended(to, "{\"n\":1}", null);
        appended(to, "{\"n\":2}", "any");
        assertStreamHolds("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void expectedRevisionNoStream() throws Exception {
        String to = uri(server, stream, "eventType=E&expectedRevision=no_stream");
        appended(to, "{\"n\":0}", null);

        WrongExpectedVersionException second = refused(to, "{\"n\":1}", null);
        assertThat(second.getStreamName()).isEqualTo(stream);
        assertThat(second.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(0));
        // the 5.4.5 client reads the server's expected_no_stream answer as revision 0 (it maps only
        // expected_any and expected_stream_exists): the exchange carries the client's exception as it is
        assertThat(second.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
        assertStreamHolds("{\"n\":0}");
    }

    @Test
    void expectedRevisionStreamExists() throws Exception {
        String to = uri(server, stream, "eventType=E");
        WrongExpectedVersionException missing = refused(to, "{\"n\":0}", "stream_exists");
        assertThat(missing.getNextExpectedRevision()).isEqualTo(ExpectedRevision.streamExists());
        assertThat(missing.getActualVersion()).isEqualTo(ExpectedRevision.noStream());
        assertThat(streamExists(stream)).isFalse();

        appended(to, "{\"n\":0}", null);
        appended(to, "{\"n\":1}", "stream_exists");
        assertStreamHolds("{\"n\":0}", "{\"n\":1}");
    }

    @Test
    void anExactExpectedRevisionFromTheHeaderWinsOverTheOption() throws Exception {
        // the option says no_stream; the header, as text or as a number, says where the stream must be
        String to = uri(server, stream, "eventType=E&expectedRevision=no_stream");
        Object next =
                appended(to, "{\"n\":0}", null).getMessage().getHeader(EventStoreConstants.NEXT_EXPECTED_REVISION);
        assertThat(next).isEqualTo(0L);
        // optimistic concurrency: feed the result header back
        appended(to, "{\"n\":1}", next);
        appended(to, "{\"n\":2}", "1");

        WrongExpectedVersionException stale = refused(to, "{\"n\":3}", "1");
        assertThat(stale.getStreamName()).isEqualTo(stream);
        assertThat(stale.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
        assertThat(stale.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(2));
        assertStreamHolds("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
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

    /** The test's stream holds exactly these events, in order. */
    private void assertStreamHolds(String... bodies) throws Exception {
        assertThat(read(stream)).extracting(ProducerTestSupport::text).containsExactly(bodies);
    }
}
