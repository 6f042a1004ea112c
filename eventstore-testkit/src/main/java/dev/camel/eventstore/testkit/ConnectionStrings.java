package dev.camel.eventstore.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** Connection strings in the form the real client parses ({@code esdb://user:password@host:port?tls=...}). */
final class ConnectionStrings {
    private ConnectionStrings() {}

    /**
     * @param username {@code null} for none
     * @param caFile the certificate a client must trust, {@code null} when the server does not serve TLS
     */
    static String of(String host, int port, String username, String password, Path caFile) {
        StringBuilder s = new StringBuilder("esdb://");
        if (username != null) {
            s.append(encode(username))
                    .append(':')
                    .append(encode(Objects.requireNonNull(password)))
                    .append('@');
        }
        s.append(host).append(':').append(port);
        if (caFile != null) {
            s.append("?tls=true&tlsCAFile=").append(caFile);
        } else {
            s.append("?tls=false");
        }
        return s.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
