package dev.chatcentral.processor.dlq;

/**
 * What one Kafka Streams client's exception handlers need, handed to them through the client's configuration
 * ({@link DeadLetterExceptionHandler#ROUTING_CONFIG}) since Kafka Streams instantiates them itself.
 *
 * @param publisher null when no dead letter can be written from outside a transaction (topology tests): the
 *                  handler then fails the record instead
 */
public record DeadLetterRouting(DeadLetterStage stage, PoisonRecords poison, DeadLetterPublisher publisher,
                                DeadLetterListener listener) {
}
