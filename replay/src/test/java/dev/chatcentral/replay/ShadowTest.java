package dev.chatcentral.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

class ShadowTest {

    private static ConsumerRecord<String, byte[]> record(String topic, String value) {
        return new ConsumerRecord<>(topic, 0, 0, "emp-a",
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> event(String type, String data) {
        return record(Topics.EVENTS.name(), "{\"id\":\"e\",\"empresaId\":\"emp-a\",\"type\":\"" + type
                + "\",\"channels\":[],\"data\":" + data + ",\"ts\":\"2026-11-30T00:00:00Z\"}");
    }

    @Test
    void shouldLeaveOutWhatThePresenceTopologyWritesToTheEvents() {
        assertThat(Shadow.writtenByConversaTopology(event("presence_update", "{}"))).isFalse();
        assertThat(Shadow.writtenByConversaTopology(event("typing_start",
                "{\"conversaId\":\"c\",\"who\":\"atendente\",\"userId\":\"u\"}"))).isFalse();
        assertThat(Shadow.writtenByConversaTopology(event("typing_start",
                "{\"conversaId\":\"c\",\"who\":\"cliente\",\"jid\":\"j\"}"))).isTrue();
        assertThat(Shadow.writtenByConversaTopology(event("message_notification", "{}"))).isTrue();
        // what is no event at all is compared, so that it shows
        assertThat(Shadow.writtenByConversaTopology(record(Topics.EVENTS.name(), "\0not json"))).isTrue();
        assertThat(Shadow.writtenByConversaTopology(record(Topics.EVENTS.name(), "[1,2]"))).isTrue();
    }

    @Test
    void shouldCompareOnlyTheConversaStagesDeadLetters() {
        ConsumerRecord<String, byte[]> conversa = record(Topics.DLQ.name(), "x");
        RecordHeaders.put(conversa.headers(), RecordHeaders.DLQ_STAGE, "conversa");
        ConsumerRecord<String, byte[]> sink = record(Topics.DLQ.name(), "x");
        RecordHeaders.put(sink.headers(), RecordHeaders.DLQ_STAGE, "sink");

        assertThat(Shadow.writtenByConversaTopology(conversa)).isTrue();
        assertThat(Shadow.writtenByConversaTopology(sink)).isFalse();
        assertThat(Shadow.writtenByConversaTopology(record(Topics.DLQ.name(), "x"))).isFalse();
        assertThat(Shadow.writtenByConversaTopology(record(Topics.MENSAGENS.name(), "x"))).isTrue();
    }
}
