package dev.chatcentral.schemas.serde;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper configuration every topic and every service shares, so bytes written by one are read by all. */
public final class Json {

    /** Unknown properties are ignored so that producers can add fields without breaking older consumers. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }
}
