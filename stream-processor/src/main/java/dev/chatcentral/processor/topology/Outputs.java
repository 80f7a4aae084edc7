package dev.chatcentral.processor.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.TopicSpec;

/**
 * The outputs of one input record, written to bytes and checked against their topics' {@code max.message.bytes}
 * before any of them is forwarded and before the caller changes a store. An input whose outputs cannot all be
 * written is refused whole ({@link OversizedOutputException}, which sends it to the DLQ), in the same transaction:
 * once Kafka itself refused an output, the transaction could only abort and the input fail again.
 */
final class Outputs {

    private record Output(String sink, String key, byte[] value, Headers headers) {
    }

    private final List<Output> outputs = new ArrayList<>(4);

    /**
     * @param sink  the topology's sink node that writes to {@code topic}
     * @throws OversizedOutputException when the record would not fit its topic
     */
    <V> Outputs add(String sink, TopicSpec<String, V> topic, String key, V value) {
        // the serde marks the headers with the contract's version, as it does for every producer
        Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), headers, value);
        long size = (long) bytes.length + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
        if (!topic.fits(size)) {
            throw new OversizedOutputException(topic, size);
        }
        outputs.add(new Output(sink, key, bytes, headers));
        return this;
    }

    boolean isEmpty() {
        return outputs.isEmpty();
    }

    /**
     * Forwards every output with the input's time and its correlation id, so one request can be followed through
     * every topic.
     */
    void forward(ProcessorContext<String, byte[]> context, long timestamp, Headers cause) {
        Header correlation = cause.lastHeader(RecordHeaders.CORRELATION_ID);
        for (Output output : outputs) {
            Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(output.headers().toArray());
            if (correlation != null) {
                headers.add(correlation);
            }
            context.forward(new Record<>(output.key(), output.value(), timestamp, headers), output.sink());
        }
    }
}
