package dev.chatcentral.schemas.serde;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper configuration every topic and every service shares, so bytes written by one are read by all. */
public final class Json {

    /**
     * Unknown properties are ignored so that producers can add fields without breaking older consumers. Instants
     * keep Jackson's ISO-8601 text, through a faster codec ({@link IsoInstants}).
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(IsoInstants.module())
            .build();

    private Json() {
    }

    /**
     * {@code value} as a node that is written by serializing the value itself when its tree is written: for a
     * record embedded in an event that only goes to bytes, converting it to a tree first would write it twice.
     * Such a node has no children to read; read the value back from bytes for that.
     */
    public static JsonNode embed(Object value) {
        return MAPPER.getNodeFactory().pojoNode(value);
    }
}
