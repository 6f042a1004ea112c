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
 *
 * <p>A consumer that starts first appends a claim, {@code {"key":"<key>","position":"<position>","claim":true}}: the
 * stored position again, or {@code "position":null} when none is stored yet. The claim moves the stream's
 * revision, against which every later write of the consumer is made, so the writes of a consumer that started
 * before it (a deposed replica) are refused.
 */
public record Checkpoint(String key, String position, boolean claim) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checkpoint, not a claim. */
    public Checkpoint(String key, String position) {
        this(key, position, false);
    }

    /** The checkpoint of {@code key} at {@code position}. */
    public static Checkpoint of(String key, SubscriptionPosition position) {
        return new Checkpoint(key, position.toString());
    }

    /** A claim of {@code key}, restating {@code stored}, or holding no position when {@code stored} is null. */
    static Checkpoint claim(String key, SubscriptionPosition stored) {
        return new Checkpoint(key, stored == null ? null : stored.toString(), true);
    }

    /** The position, in {@code $all} or in one stream; {@code null} for a claim made before any checkpoint. */
    public SubscriptionPosition position(boolean all) {
        return position == null ? null : SubscriptionPosition.parse(position, all);
    }

    /** The JSON form, UTF-8. */
    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode().put("key", key).put("position", position);
        if (claim) {
            node.put("claim", true);
        }
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
        if (position == null || !(position.isTextual() || position.isNull())) {
            throw new IllegalArgumentException("not a checkpoint (no position): " + text);
        }
        JsonNode key = node.get("key");
        JsonNode claim = node.get("claim");
        return new Checkpoint(
                key == null || key.isNull() ? null : key.asText(),
                position.isNull() ? null : position.asText(),
                claim != null && claim.asBoolean());
    }
}
