package dev.chatcentral.processor.sink;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/** Reads each record's value with the serde the catalog gives its topic, so one consumer can read several topics. */
final class CatalogValueDeserializer implements Deserializer<Object> {

    private final Map<String, Deserializer<?>> byTopic = Topics.ALL.stream()
            .collect(Collectors.toMap(TopicSpec::name, spec -> spec.valueSerde().deserializer()));

    @Override
    public Object deserialize(String topic, byte[] data) {
        Deserializer<?> deserializer = byTopic.get(topic);
        if (deserializer == null) {
            throw new SerializationException("topic " + topic + " is not in the catalog");
        }
        return deserializer.deserialize(topic, data);
    }
}
