package dev.camel.eventstore.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.camel.eventstore.position.SubscriptionPosition;
import dev.camel.eventstore.testkit.http.HttpTestReceiver;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each request of the HTTP connector carries (path, headers, credentials, data), and https with a trust store.
 */
class HttpSinkRequestTest extends HttpConnectorTest {
    @Test
    void eachEventIsOneRequestWithItsPathHeadersCredentialsAndData() throws Exception {
        String prefix = newPrefix("request");
        String odd = prefix + "eu/orders 1";
        server().append(prefix + "a", numbered("OrderPlaced", 0, 3));
        server().append(odd, numbered("OrderShipped", 3, 2));
        HttpTestReceiver receiver = receiver();
        CamelContext context = context();
        connector(
                context,
                "http-request",
                prefix,
                Map.of(
                        "url", receiver.url("/events/{stream}/{event-type}"),
                        "authMethod", "basic",
                        "username", "sink-user",
                        "password", "s3cret-pass",
                        "defaultHeaders", "X-Env=test,X-Team=orders"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 5);
        List<HttpTestReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(5);
        assertThat(numbers(requests)).containsExactly(0, 1, 2, 3, 4);
        HttpTestReceiver.Request first = requests.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/events/" + prefix + "a/OrderPlaced");
        assertThat(requests.get(4).path()).isEqualTo("/events/" + prefix + "eu%2Forders%201/OrderShipped");
        assertThat(first.header("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("sink-user:s3cret-pass".getBytes(StandardCharsets.UTF_8)));
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.header("esdb-connector-id")).isEqualTo("http-request");
        assertThat(first.header("esdb-record-stream-id")).isEqualTo(prefix + "a");
        assertThat(requests.get(4).header("esdb-record-stream-id")).isEqualTo(odd);
        assertThat(requests.get(4).header("esdb-record-stream-revision")).isEqualTo("1");
        assertThat(first.header("esdb-record-schema-subject")).isEqualTo("OrderPlaced");
        assertThat(first.header("esdb-record-schema-type")).isEqualTo("json");
        assertThat(first.header("esdb-record-id")).isNotBlank();
        assertThat(first.header("esdb-record-log-position")).matches("\\d+");
        assertThat(first.header("esdb-record-headers-tenant")).isEqualTo("acme");
        assertThat(first.header("esdb-record-headers-$correlationId"))
                .as("system metadata left out")
                .isNull();
        assertThat(first.header("X-Env")).isEqualTo("test");
        assertThat(first.header("X-Team")).isEqualTo("orders");
        assertThat(first.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
        // the password is on the request only: not in any endpoint URI Camel knows
        for (Endpoint endpoint : context.getEndpoints()) {
            assertThat(endpoint.getEndpointUri()).doesNotContain("s3cret-pass");
        }
    }

    @Test
    void bearerTokenWithAnotherMethod() throws Exception {
        String prefix = newPrefix("bearer");
        server().append(prefix + "a", numbered("OrderPlaced", 0, 2));
        HttpTestReceiver receiver = receiver();
        connector(
                context(),
                "http-bearer",
                prefix,
                Map.of("url", receiver.url("/in"), "method", "PUT", "authMethod", "bearer", "token", "tok-123"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
        assertThat(receiver.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.path()).isEqualTo("/in");
            assertThat(r.header("Authorization")).isEqualTo("Bearer tok-123");
        });
    }

    @Test
    void httpsWithATrustStoreDeliversAndWithoutItNothingIsSkipped(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server().p12");
        Path trustStore = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        keytool(
                "-exportcert",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit",
                "-file",
                dir.resolve("server().cer").toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "server",
                "-file",
                dir.resolve("server().cer").toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                "trustpass");
        HttpTestReceiver receiver = HttpTestReceiver.https(sslContext(keyStore));
        closeAfterTest(receiver);

        String prefix = newPrefix("tls");
        server().append(prefix + "a", numbered("OrderPlaced", 0, 3));
        CamelContext context = context();
        connector(context, "http-untrusted", prefix, Map.of("url", receiver.url("/in"), "retryMaxAttempts", "2"));
        connector(
                context,
                "http-tls",
                prefix,
                Map.of(
                        "url", receiver.url("/in"),
                        "sslTruststoreLocation", trustStore.toString(),
                        "sslTruststorePassword", "trustpass"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 3);
        assertThat(numbers(receiver.accepted())).containsExactly(0, 1, 2);
        assertThat(receiver.accepted())
                .allSatisfy(r -> assertThat(r.header("esdb-connector-id")).isEqualTo("http-tls"));
        // the connector that does not trust the certificate stops after its attempts, its first event undelivered
        await().atMost(WAIT).until(() -> context.getRouteController()
                .getRouteStatus("http-untrusted")
                .isStopped());
        long firstCommit = Long.parseLong(receiver.accepted().get(0).header("esdb-record-log-position"));
        SubscriptionPosition untrusted = consumer(context, "http-untrusted").getProcessedPosition();
        assertThat(untrusted == null || untrusted.isStart() || untrusted.commit() < firstCommit)
                .as("position " + untrusted + " before the first event at " + firstCommit)
                .isTrue();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static SSLContext sslContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), null, null);
        return ssl;
    }
}
