package dev.chatcentral.bench.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.testing.TestKafka;

/**
 * Writes {@code chat.events} records as the stream-processor does (key = empresaId), so the gateway can be measured
 * alone. The payload is a message notification of a realistic size; {@code ts} is the moment of the write.
 */
public final class Events implements AutoCloseable {

    private static final JsonNode MENSAGEM = Json.MAPPER.readTree("""
            {"mensagemId":"6f0b2f3e-8a4d-4c1e-9b7a-3c2d1e0f9a8b","conversaId":"0b6c3d9e-5a0f-4f2e-9f4a-1a2b3c4d5e6f",\
            "instance":"bench-01","remoteJid":"5511912345678@s.whatsapp.net","fromMe":false,\
            "pushName":"Cliente","messageType":"conversation","text":"Oi, vocês entregam hoje? Preciso do pedido até as 18h.",\
            "status":"DELIVERED","timestamp":"2026-11-26T10:00:00Z"}""");

    private final KafkaProducer<String, RealtimeEvent> producer;

    public Events(TestKafka kafka) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
    }

    /** A message notification {@code id} of {@code empresaId} on {@code channel}, stamped now. */
    public Future<RecordMetadata> send(String id, String empresaId, String channel) {
        RealtimeEvent event = new RealtimeEvent(id, empresaId,
                EventType.MESSAGE_NOTIFICATION, List.of(channel), MENSAGEM, Instant.now());
        return producer.send(new ProducerRecord<>(Topics.EVENTS.name(), empresaId, event));
    }

    void flush() {
        producer.flush();
    }

    /** Epoch microseconds of an ISO-8601 instant, as the gateway writes {@code ts}. */
    public static long micros(String ts) {
        Instant instant = Instant.parse(ts);
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    @Override
    public void close() {
        producer.close();
    }
}
