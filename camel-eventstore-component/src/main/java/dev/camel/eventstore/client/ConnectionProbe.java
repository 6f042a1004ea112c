package dev.camel.eventstore.client;

import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Finds out why the client could not reach EventStoreDB. The 5.4.5 client only reports that it gave up after its
 * discovery attempts; the cause (a wrong host or port, TLS on one side only, an untrusted certificate) is in its own
 * log, which applications usually silence. One probe of the first host, once per outage, names it.
 */
public final class ConnectionProbe {
    private static final int TIMEOUT_MILLIS = (int) Timeouts.PROBE.toMillis();

    private ConnectionProbe() {}

    /** The cause, in one sentence with the fix, or {@code null} when the probe finds nothing wrong. */
    public static String diagnose(String connectionString) {
        EventStoreDBClientSettings settings;
        try {
            settings = EventStoreDBConnectionString.parseOrThrow(connectionString);
        } catch (RuntimeException e) {
            return null;
        }
        InetSocketAddress host = settings.getHosts()[0];
        String where = host.getHostString() + ":" + host.getPort();
        InetAddress address;
        try {
            address = InetAddress.getByName(host.getHostString());
        } catch (UnknownHostException e) {
            return "the host name " + host.getHostString() + " cannot be resolved";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, host.getPort()), TIMEOUT_MILLIS);
        } catch (ConnectException e) {
            return "nothing accepts connections at " + where + " (connection refused): check the host and port";
        } catch (SocketTimeoutException e) {
            return "no answer from " + where + " within " + TIMEOUT_MILLIS + " ms: check the address and firewalls";
        } catch (IOException e) {
            return "cannot connect to " + where + ": " + e.getMessage();
        }
        String handshakeFailure = tlsHandshake(address, host, settings);
        if (!settings.isTls()) {
            return handshakeFailure == null
                    ? "the server at " + where + " speaks TLS but the connection string says tls=false: remove"
                            + " tls=false (and give tlsCAFile=<file> if its certificate is not publicly trusted)"
                    : null;
        }
        if (handshakeFailure == null) {
            return null;
        }
        if (handshakeFailure.contains("Unsupported or unrecognized SSL message")
                || handshakeFailure.contains("plaintext")) {
            return "the server at " + where + " does not speak TLS but the connection string asks for it (TLS is"
                    + " the default): add tls=false";
        }
        if (handshakeFailure.contains("PKIX") || handshakeFailure.contains("certification path")) {
            return settings.getTlsCaFile() == null
                    ? "the TLS certificate of " + where + " is not trusted: give its CA certificate with"
                            + " tlsCAFile=<file> (or, for tests only, tlsVerifyCert=false)"
                    : "the TLS certificate of " + where + " is not trusted: it was not issued by the CA in tlsCAFile ("
                            + settings.getTlsCaFile() + ")";
        }
        if (handshakeFailure.contains("subject alternative") || handshakeFailure.contains("match")) {
            return "the TLS certificate of " + where + " is not issued for " + host.getHostString() + ": "
                    + handshakeFailure;
        }
        return "the TLS handshake with " + where + " failed: " + handshakeFailure;
    }

    /** {@code null} when a TLS handshake succeeds as the client would make it, else the failure's message. */
    private static String tlsHandshake(InetAddress address, InetSocketAddress host, EventStoreDBClientSettings s) {
        boolean verify = s.isTls() && s.isTlsVerifyCert();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, host.getPort()), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, verify ? trustManagers(s.getTlsCaFile()) : new TrustManager[] {new TrustAll()}, null);
            try (SSLSocket socket = (SSLSocket)
                    context.getSocketFactory().createSocket(plain, host.getHostString(), host.getPort(), false)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setApplicationProtocols(new String[] {"h2"});
                if (verify) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
            }
            return null;
        } catch (IOException | GeneralSecurityException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return root == e || root.getMessage() == null ? message : message + " (" + root.getMessage() + ")";
        }
    }

    private static TrustManager[] trustManagers(String caFile) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile == null) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** For the question "does it speak TLS at all?", where trust does not matter. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
