package dev.chatcentral.processor.topology;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.Unprocessable;
import dev.chatcentral.schemas.topic.TopicSpec;

/** An output of a record would exceed its topic's {@code max.message.bytes}: the record goes to the DLQ instead. */
final class OversizedOutputException extends RuntimeException implements Unprocessable {

    OversizedOutputException(TopicSpec<?, ?> topic, long bytes) {
        super("its output to " + topic.name() + " would be " + bytes + " bytes, over the topic's limit of "
                + topic.maxMessageBytes() + " bytes");
    }

    @Override
    public DeadLetterReason reason() {
        return DeadLetterReason.TOO_LARGE;
    }
}
