package dev.chatcentral.gateway.command;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.Sends;

/**
 * Writes atendentes' commands to {@code chat.commands}, keyed by empresaId so an empresa's commands are decided in
 * the order they were written. The producer is idempotent with {@code acks=all}: an acknowledged command survives
 * the loss of a broker, and the producer's own retries never write it twice (a client's retry of the same
 * commandId may; the stream-processor drops that by commandId).
 *
 * <p>A producer of its own rather than the signal publisher's: it serializes another record type, and its
 * timeouts are the client's wait ({@link CommandProperties#ackTimeout()}), not the signals'.
 */
@Component
class CommandPublisher implements DisposableBean {

    private final KafkaProducer<String, AgentCommand> producer;

    CommandPublisher(KafkaProperties kafka, GatewayNode node, CommandProperties properties) {
        int timeout = (int) properties.ackTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-commands-" + node.id());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a person waits for the answer: send at once, and give up when the client is told unavailable
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        this.producer = new KafkaProducer<>(config, Topics.COMMANDS.keySerde().serializer(),
                Topics.COMMANDS.valueSerde().serializer());
    }

    /** @return completes when every in-sync replica has the command, exceptionally when it could not be written */
    CompletableFuture<Void> publish(AgentCommand command) {
        return Sends.send(producer, new ProducerRecord<>(Topics.COMMANDS.name(), command.empresaId(), command))
                .thenApply(metadata -> null);
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
