package dev.camel.eventstore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The connectors application's health endpoint ({@code /observe/health} on {@code camel.management.port}). */
final class HealthEndpoint {
    /** One connector's health check: UP or DOWN, the consumer's state, the reason when DOWN, its reconnects. */
    record Check(String status, String state, String message, long reconnects, String processed) {
        boolean up() {
            return "UP".equals(status);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    HealthEndpoint(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    /** The check of connector {@code id} ({@code consumer:eventstore-<id>}). */
    Check check(String id) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health?data=true"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        for (JsonNode check : body.path("checks")) {
            if (check.path("name").asText().equals("consumer:eventstore-" + id)) {
                JsonNode data = check.path("data");
                return new Check(
                        check.path("status").asText(),
                        data.path("state").asText(),
                        check.path("message").isMissingNode()
                                ? null
                                : check.path("message").asText(),
                        data.path("reconnects").asLong(),
                        data.path("position.processed").asText());
            }
        }
        throw new AssertionError("no health check for connector " + id + " in " + response.body());
    }
}
