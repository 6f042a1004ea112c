package dev.camel.eventstore.resume;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.camel.eventstore.position.SubscriptionPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One stored checkpoint: the consumer's key and its processed position in {@link SubscriptionPosition}'s text form.
 * Its JSON form, {@code {"key":"<key>","position":"<position>"}}, is the data of each event in a checkpoint stream.
 */
public record Checkpoint(String key, String position) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The checkpoint of {@code key} at {@code position}. */
    public static Checkpoint of(String key, SubscriptionPosition position) {
        return new Checkpoint(key, position.toString());
    }

    /** The position, in {@code $all} or in one stream. */
    public SubscriptionPosition position(boolean all) {
        return SubscriptionPosition.parse(position, all);
    }

    /** The JSON form, UTF-8. */
    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode().put("key", key).put("position", position);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write checkpoint " + this, e);
        }
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException when the data is not a checkpoint, quoting it
     */
    public static Checkpoint fromJson(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a checkpoint (not JSON): " + text, e);
        }
        JsonNode position = node == null ? null : node.get("position");
        if (position == null || !position.isTextual()) {
            throw new IllegalArgumentException("not a checkpoint (no position): " + text);
        }
        JsonNode key = node.get("key");
        return new Checkpoint(key == null || key.isNull() ? null : key.asText(), position.asText());
    }
}
