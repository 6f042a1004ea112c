package dev.camel.eventstore.testkit.contract;

import static dev.camel.eventstore.testkit.contract.ContractSupport.eventually;
import static dev.camel.eventstore.testkit.contract.ContractSupport.failure;
import static dev.camel.eventstore.testkit.contract.ContractSupport.json;
import static dev.camel.eventstore.testkit.contract.ContractSupport.newStream;
import static dev.camel.eventstore.testkit.contract.ContractSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ServerVersion;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.WriteResult;
import dev.camel.eventstore.testkit.EventStoreTestServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a default real container cannot show: Basic authentication (as a secured EventStoreDB applies it) and TLS with
 * the testkit's self-signed certificate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestkitSecurityTest {
    private static final Metadata.Key<String> EXCEPTION =
            Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);

    private final Clients clients = new Clients();

    @AfterEach
    void close() {
        clients.close();
    }

    private EventStoreTestServer securedServer() {
        return clients.start(EventStoreTestServer.builder().user("admin", "changeit"));
    }

    @Test
    void theRightCredentialsGetIn() {
        EventStoreTestServer server = securedServer();
        String stream = newStream("auth");
        // the default connection string carries the first user's credentials
        assertThat(server.connectionString()).startsWith("esdb://admin:changeit@");
        EventStoreDBClient client = clients.connect(server.connectionString());

        WriteResult written = result(client.appendToStream(stream, json("A")));

        assertThat(written.getNextExpectedRevision().toRawLong()).isZero();
        assertThat(result(client.readStream(stream, ReadStreamOptions.get())).getEvents())
                .hasSize(1);
    }

    @Test
    void wrongCredentialsAreUnauthenticatedOnEveryCall() {
        EventStoreTestServer server = securedServer();
        String stream = newStream("auth-wrong");
        EventStoreDBClient client = clients.connect(server.connectionString("admin", "wrong"));

        Throwable append = failure(client.appendToStream(stream, json("A")));
        Throwable read = failure(client.readStream(stream, ReadStreamOptions.get()));
        Throwable subscribe = failure(client.subscribeToAll(new Recorder(), SubscribeToAllOptions.get()));

        for (Throwable error : new Throwable[] {append, read, subscribe}) {
            assertThat(error).isInstanceOf(StatusRuntimeException.class);
            Status status = ((StatusRuntimeException) error).getStatus();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).isEqualTo("Unauthenticated");
        }
        // nothing was written
        EventStoreDBClient admin = clients.connect(server.connectionString());
        assertThat(failure(admin.readStream(stream, ReadStreamOptions.get())))
                .isInstanceOf(StreamNotFoundException.class);
    }

    @Test
    void withoutCredentialsStreamsAreAccessDenied() {
        EventStoreTestServer server = securedServer();
        String stream = newStream("auth-anonymous");
        EventStoreDBClient anonymous = clients.connect(server.connectionString(null, null));

        Throwable append = failure(anonymous.appendToStream(stream, json("A")));
        Throwable read = failure(anonymous.readStream(stream, ReadStreamOptions.get()));
        Throwable subscribe = failure(anonymous.subscribeToAll(new Recorder(), SubscribeToAllOptions.get()));

        for (Throwable error : new Throwable[] {append, read, subscribe}) {
            assertThat(error).isInstanceOf(StatusRuntimeException.class);
            StatusRuntimeException denied = (StatusRuntimeException) error;
            assertThat(denied.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(denied.getStatus().getDescription()).isEqualTo("Access Denied");
            assertThat(denied.getTrailers().get(EXCEPTION)).isEqualTo("access-denied");
        }
        // anonymous callers may still ask what the server is (the client does so before anything else)
        Optional<ServerVersion> version = result(anonymous.getServerVersion());
        assertThat(version).isPresent();
        // and credentials given per operation let them in
        WriteResult written = result(anonymous.appendToStream(
                stream, AppendToStreamOptions.get().authenticated("admin", "changeit"), json("A")));
        assertThat(written.getNextExpectedRevision().toRawLong()).isZero();
    }

    @Test
    void tlsWithTheGeneratedCertificateWorks() {
        EventStoreTestServer server =
                clients.start(EventStoreTestServer.builder().tls(true));
        String stream = newStream("tls");
        assertThat(server.connectionString()).contains("tls=true").contains("tlsCAFile=" + server.certificateFile());
        EventStoreDBClient client = clients.connect(server.connectionString());
        result(client.appendToStream(stream, json("A"), json("B")));
        Recorder recorder = new Recorder();
        clients.subscribed(client.subscribeToStream(stream, recorder));

        eventually().until(() -> recorder.events().size() == 2);
        assertThat(recorder.eventTypes()).containsExactly("A", "B");
    }

    @Test
    void aClientTrustingAnotherCertificateIsRefused() {
        EventStoreTestServer server =
                clients.start(EventStoreTestServer.builder().tls(true));
        EventStoreTestServer impostor =
                clients.start(EventStoreTestServer.builder().tls(true));
        String stream = newStream("tls-refused");
        EventStoreDBClient fooled = clients.connect("esdb://" + server.host() + ":" + server.port()
                + "?tls=true&tlsCAFile=" + impostor.certificateFile()
                + "&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=2000");
        EventStoreDBClient plaintext = clients.connect("esdb://" + server.host() + ":" + server.port()
                + "?tls=false&maxDiscoverAttempts=1&gossipTimeout=2000");

        Throwable untrusted = failure(fooled.appendToStream(stream, json("A")));
        Throwable unencrypted = failure(plaintext.appendToStream(stream, json("A")));
        // the handshake fails on every attempt, so the client runs out of discovery attempts and closes for good
        assertThat(untrusted).isInstanceOf(ConnectionShutdownException.class);
        assertThat(unencrypted).isInstanceOf(ConnectionShutdownException.class);
        assertThat(fooled.isShutdown()).isTrue();
        EventStoreDBClient trusting = clients.connect(server.connectionString());
        assertThat(failure(trusting.readStream(stream, ReadStreamOptions.get())))
                .isInstanceOf(StreamNotFoundException.class);
    }
}
