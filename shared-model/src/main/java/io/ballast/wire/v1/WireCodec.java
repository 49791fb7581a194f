package io.ballast.wire.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.model.json.BallastJson;
import java.util.Set;

/** Encodes and decodes v1 frames. Thread-safe. */
public final class WireCodec {
    private static final Set<String> KNOWN = Set.of("hello", "snapshot", "ack", "nack", "heartbeat", "ping", "health", "delta", "resync",
            "rate-limit-share", "probe-assignment", "probe-verdicts");
    private static final ObjectMapper MAPPER = BallastJson.lenient();

    private WireCodec() {
    }

    public static String encode(WireMessage message) {
        if (message instanceof UnknownMessage) {
            throw new IllegalArgumentException("an unknown message cannot be sent");
        }
        try {
            return MAPPER.writerFor(WireMessage.class).writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("wire records must serialize", e);
        }
    }

    /**
     * The {@code snapshot} frame for a config whose canonical JSON is already at hand, without walking the
     * config again: the same frame {@link #encode} writes for a {@link SnapshotPush}, up to the order of
     * its keys (which JSON readers ignore).
     */
    public static String encodeSnapshot(long revision, String hash, String canonicalConfig, java.util.Map<String, String> privateKeys) {
        return encodeSnapshot(revision, hash, canonicalConfig, privateKeys, null);
    }

    /** As above, with the TLS session-ticket secret every data plane derives its ticket keys from (omitted when null). */
    public static String encodeSnapshot(long revision, String hash, String canonicalConfig, java.util.Map<String, String> privateKeys,
                                        String sessionTicketSecret) {
        try {
            StringBuilder out = new StringBuilder(canonicalConfig.length() + 256);
            out.append("{\"type\":\"snapshot\",\"revision\":").append(revision)
                    .append(",\"hash\":").append(MAPPER.writeValueAsString(hash));
            if (privateKeys != null && !privateKeys.isEmpty()) {
                out.append(",\"privateKeys\":").append(MAPPER.writeValueAsString(new java.util.TreeMap<>(privateKeys)));
            }
            if (sessionTicketSecret != null) {
                out.append(",\"sessionTicketSecret\":").append(MAPPER.writeValueAsString(sessionTicketSecret));
            }
            return out.append(",\"config\":").append(canonicalConfig).append('}').toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and maps of strings must serialize", e);
        }
    }

    /**
     * Decodes a frame. A well-formed frame of an unknown type becomes {@link UnknownMessage}.
     *
     * @throws WireFormatException when the frame is not JSON, has no type, or a known type is malformed
     */
    public static WireMessage decode(String frame) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("frame is not JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject() || !tree.path("type").isTextual()) {
            throw new WireFormatException("frame has no string 'type'", null);
        }
        String type = tree.get("type").asText();
        if (!KNOWN.contains(type)) {
            return new UnknownMessage(type);
        }
        try {
            return MAPPER.treeToValue(tree, WireMessage.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireFormatException("malformed '" + type + "' frame: " + e.getMessage(), e);
        }
    }

    /** A frame that cannot be understood at all. */
    public static final class WireFormatException extends RuntimeException {
        public WireFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
