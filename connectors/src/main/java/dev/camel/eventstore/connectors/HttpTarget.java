package dev.camel.eventstore.connectors;

import dev.camel.eventstore.EventStoreConstants;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Where and how the HTTP sink sends: the URL with its {@code {stream}}, {@code {event-type}} and {@code
 * {schema-subject}} placeholders, the method, the credentials and which status codes count as delivered. Requests go
 * through Camel's {@code http:}/{@code https:} producer; the credentials are set on the request only, never on the
 * connector's exchange, so that they reach neither a dead-letter endpoint nor a log.
 */
final class HttpTarget {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(stream|event-type|schema-subject)}");
    private static final int ERROR_BODY_CHARS = 200;
    private static final String NO_CLIENT_RETRIES = "eventstore-http-no-client-retries";

    private final String url;
    private final boolean placeholders;
    private final String method;
    /**
     * The method as the enum camel-http reads the header as: given as a String, every request converted it, and
     * that conversion (a type converter lookup for the enum) took a third of the sending thread's time.
     */
    private final HttpMethods httpMethod;

    private final StatusCodes success;
    private final String authorization;
    private final Endpoint endpoint;
    private final Producer producer;

    private HttpTarget(
            String url,
            String method,
            StatusCodes success,
            String authorization,
            Endpoint endpoint,
            Producer producer) {
        this.url = url;
        this.placeholders = PLACEHOLDER.matcher(url).find();
        this.method = method;
        this.httpMethod = HttpMethods.valueOf(method);
        this.success = success;
        this.authorization = authorization;
        this.endpoint = endpoint;
        this.producer = producer;
    }

    static HttpTarget create(CamelContext context, ConnectorSettings s) {
        String url = s.required("url");
        URI base = baseUri(url);
        String method = s.choice("method", "POST", "PUT", "PATCH");
        StatusCodes success = StatusCodes.parse("successStatusCodes", s.string("successStatusCodes"));
        String authorization = authorization(s);
        long connectTimeout = s.millis("connectTimeout");
        long responseTimeout = s.millis("responseTimeout");
        int connections = Math.max(20, s.integer("maxInFlight", 1));

        StringBuilder uri = new StringBuilder(base.getScheme())
                .append("://")
                .append(base.getRawAuthority())
                .append("?throwExceptionOnFailure=false")
                .append("&connectTimeout=")
                .append(connectTimeout)
                .append("&connectionRequestTimeout=")
                .append(connectTimeout)
                .append("&responseTimeout=")
                .append(responseTimeout)
                .append("&soTimeout=")
                .append(responseTimeout)
                .append("&connectionsPerRoute=")
                .append(connections)
                .append("&maxTotalConnections=")
                .append(connections);
        // HttpClient's own retries (503 answers, I/O errors) would hide failures from the connector's backoff,
        // metrics and logs
        context.getRegistry()
                .bind(NO_CLIENT_RETRIES, (HttpClientConfigurer) HttpClientBuilder::disableAutomaticRetries);
        uri.append("&httpClientConfigurer=#").append(NO_CLIENT_RETRIES);
        String trustStore = s.optional("sslTruststoreLocation");
        if (trustStore != null) {
            if (!base.getScheme().equals("https")) {
                throw ConnectorSettings.invalid("sslTruststoreLocation", "applies to https:// URLs only");
            }
            String name = "eventstore-http-tls-" + Integer.toHexString(trustStore.hashCode());
            context.getRegistry().bind(name, trust(context, trustStore, s.optional("sslTruststorePassword")));
            uri.append("&sslContextParameters=#").append(name);
        }
        Endpoint endpoint = context.getEndpoint(uri.toString());
        Producer producer;
        try {
            producer = endpoint.createProducer();
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
        producer.start();
        return new HttpTarget(url, method, success, authorization, endpoint, producer);
    }

    /** Scheme and authority of the URL, the part Camel's endpoint is made of; the rest varies per request. */
    private static URI baseUri(String url) {
        try {
            URI uri = new URI(PLACEHOLDER.matcher(url).replaceAll("x"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                if (uri.getUserInfo() != null) {
                    throw ConnectorSettings.invalid(
                            "url", "must not hold credentials; use authMethod with username and password");
                }
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConnectorSettings.invalid(
                "url",
                "must be an http:// or https:// URL with a host, got '" + ConnectorMessages.redactUrl(url) + "'");
    }

    private static String authorization(ConnectorSettings s) {
        String method = s.choice("authMethod", "none", "basic", "bearer");
        switch (method) {
            case "basic" -> {
                String credentials = s.required("username") + ":" + s.required("password");
                return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            }
            case "bearer" -> {
                return "Bearer " + s.required("token");
            }
            default -> {
                return null;
            }
        }
    }

    private static SSLContextParameters trust(CamelContext context, String location, String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setCamelContext(context);
        store.setResource(
                location.startsWith("classpath:") || location.startsWith("file:") ? location : "file:" + location);
        store.setPassword(password);
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setCamelContext(context);
        trustManagers.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setCamelContext(context);
        parameters.setTrustManagers(trustManagers);
        return parameters;
    }

    /** True when the URL differs between events. */
    boolean hasPlaceholders() {
        return placeholders;
    }

    /** The URL for the event a message carries, its placeholders filled in and encoded as path segments. */
    String urlFor(Message message) {
        if (!placeholders) {
            return url;
        }
        Matcher m = PLACEHOLDER.matcher(url);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String header =
                    m.group(1).equals("stream") ? EventStoreConstants.STREAM_ID : EventStoreConstants.EVENT_TYPE;
            String value = message.getHeader(header, "", String.class);
            m.appendReplacement(
                    resolved,
                    Matcher.quoteReplacement(
                            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /**
     * Sends one request and waits for the answer.
     *
     * @throws HttpDeliveryException when the status code is not one of the success codes
     * @throws Exception when no answer came (connection refused, timeout, TLS failure)
     */
    void send(String requestUrl, byte[] body, String contentType, Map<String, Object> headers) throws Exception {
        Exchange request = endpoint.createExchange();
        Message message = request.getIn();
        message.setHeaders(headers);
        message.setHeader(Exchange.HTTP_URI, requestUrl);
        message.setHeader(Exchange.HTTP_METHOD, httpMethod);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        if (authorization != null) {
            message.setHeader("Authorization", authorization);
        }
        message.setBody(body);
        producer.process(request);
        if (request.getException() != null) {
            throw request.getException();
        }
        int code = request.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (!success.contains(code)) {
            String answer = request.getMessage().getBody(String.class);
            if (answer != null && answer.length() > ERROR_BODY_CHARS) {
                answer = answer.substring(0, ERROR_BODY_CHARS) + "...";
            }
            throw new HttpDeliveryException(
                    method + " " + requestUrl + " answered " + code + " (success: " + success + ")"
                            + (answer == null || answer.isBlank() ? "" : ": " + answer.strip()),
                    code);
        }
    }
}
