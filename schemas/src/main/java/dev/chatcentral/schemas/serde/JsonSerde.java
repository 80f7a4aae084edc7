package dev.chatcentral.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;

import dev.chatcentral.schemas.topic.RecordHeaders;

/**
 * A Kafka serde for one JSON record type; null stays null so tombstones pass through compacted topics. Its serializer
 * marks every record it writes with the {@link RecordHeaders#SCHEMA_VERSION} header: Kafka's producer and Kafka
 * Streams' sinks both serialize with the record's headers at hand, so every producer of a catalog topic marks its
 * records through this one place. Code that serializes a value before sending it passes the record's headers too.
 */
public final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T value) {
                if (value == null) {
                    return null;
                }
                try {
                    return Json.MAPPER.writeValueAsBytes(value);
                } catch (JacksonException e) {
                    throw new SerializationException("cannot write " + type.getSimpleName() + " to " + topic, e);
                }
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T value) {
                // a tombstone is marked too: its absent value is part of the same contract
                if (headers != null) {
                    RecordHeaders.putSchemaVersion(headers);
                }
                return serialize(topic, value);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.MAPPER.readValue(bytes, type);
            } catch (JacksonException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic
                        + ": " + e.getOriginalMessage(), e);
            }
        };
    }
}
