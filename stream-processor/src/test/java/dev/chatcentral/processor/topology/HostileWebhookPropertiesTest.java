package dev.chatcentral.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.topology.HostileWebhookDriver.Step;
import dev.chatcentral.processor.topology.HostileWebhookDriver.Try;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Bulkheads, by property: no webhook of one empresa, however hostile, kills the topology, goes missing, or keeps
 * another empresa's message from being processed; whatever it lets through fits its topic and holds only text a
 * database and a browser can keep.
 */
@AddLifecycleHook(HostileWebhookDriver.PerProperty.class)
class HostileWebhookPropertiesTest {

    // jqwik's own edge cases, mixed into every nested field at once, would make nearly all webhooks garbage; the
    // edges that matter (limits, Jackson's depth, int and long bounds) are generated explicitly
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void shouldDeadLetterOrProcessEveryHostileWebhookAndKeepProcessingAnotherEmpresa(
            @ForAll(supplier = HostileWebhooks.class) HostileWebhook webhook, HostileWebhookDriver driver) {
        // an exception out of the driver fails the try: a running topology would have died of it
        Try t = driver.run(webhook);

        assertThat(t.opening().outcomes()).containsExactly(WebhookOutcome.PROCESSED);
        assertAccountedFor(t);
        assertOtherEmpresaProcessed(t);
        t.steps().forEach(HostileWebhookPropertiesTest::assertKeepable);
        Statistics.label("kind").collect(webhook.kind());
        Statistics.label("outcome").collect(t.hostile().outcomes().get(0));
        // a generator that only made garbage would pass without reaching the code that cuts, cleans and publishes.
        // The generator processes about 11.5 % (sd 2.3 over 200 tries) and dead-letters about 57 %: the floors sit
        // more than three deviations below, so a random seed does not fail them, a broken generator does
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check(WebhookOutcome.PROCESSED).percentage(p -> p >= 4);
            coverage.check(WebhookOutcome.DEAD_LETTERED).percentage(p -> p >= 30);
        });
    }

    /** Processed, skipped for a named reason with nothing written, or in the DLQ with why: never silently gone. */
    private static void assertAccountedFor(Try t) {
        Step hostile = t.hostile();
        assertThat(hostile.outcomes()).hasSize(1);
        WebhookOutcome outcome = hostile.outcomes().get(0);
        switch (outcome) {
            case DEAD_LETTERED -> {
                // hostile input is refused as invalid; processing_failed would be a bug of ours
                assertDeadLettered(t, hostile, DeadLetterReason.INVALID);
                assertThat(published(hostile)).as("what a dead-lettered webhook publishes").isZero();
            }
            case PROCESSED -> {
                assertThat(published(hostile)).isPositive();
                assertThat(hostile.records(Topics.DLQ)).isEmpty();
                assertThat(hostile.records(Topics.WEBHOOKS_RETRY)).isEmpty();
            }
            case PARKED -> {
                assertThat(hostile.noOutput()).isTrue();
                assertThat(t.retried().records(Topics.WEBHOOKS_RETRY)).as("a retry carries the webhook as it arrived")
                        .isNotEmpty().allSatisfy(retry -> assertThat(retry.value()).isEqualTo(t.webhook().body()));
                List<WebhookOutcome> retries = t.retried().outcomes();
                assertThat(retries).last().isEqualTo(WebhookOutcome.DEAD_LETTERED);
                assertThat(retries.subList(0, retries.size() - 1)).containsOnly(WebhookOutcome.RETRY_PARKED);
                assertDeadLettered(t, t.retried(), DeadLetterReason.RETRIES_EXHAUSTED);
            }
            case IGNORED_EVENT, NO_CONVERSA, STATUS_BROADCAST, HISTORY_SKIPPED, DUPLICATE, STALE_STATUS ->
                    assertThat(hostile.noOutput()).as("a skipped webhook writes nothing").isTrue();
            default -> fail("a first attempt with the DLQ enabled never ends " + outcome);
        }
    }

    private static int published(Step step) {
        return step.records(Topics.CONVERSAS).size() + step.records(Topics.MENSAGENS).size()
                + step.records(Topics.EVENTS).size() + step.records(Topics.OUTBOUND).size();
    }

    private static void assertDeadLettered(Try t, Step step, DeadLetterReason reason) {
        assertThat(step.records(Topics.DLQ)).singleElement().satisfies(dead -> {
            assertThat(dead.key()).isEqualTo(t.hostileKey());
            assertThat(dead.value()).isEqualTo(t.webhook().body());
            assertThat(header(dead, RecordHeaders.ERROR_REASON)).isEqualTo(reason.code());
            assertThat(header(dead, RecordHeaders.ERROR_MESSAGE)).isNotBlank();
            assertThat(header(dead, RecordHeaders.DLQ_STAGE)).isEqualTo("conversa");
            assertThat(header(dead, RecordHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.WEBHOOKS.name());
        });
        assertThat(step.deadLettered()).containsExactly("conversa/" + reason.code() + "/" + t.hostileKey());
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void assertOtherEmpresaProcessed(Try t) {
        Step other = t.other();
        assertThat(other.outcomes()).containsExactly(WebhookOutcome.PROCESSED);
        assertThat(other.values(Topics.MENSAGENS)).singleElement().satisfies(mensagem -> {
            assertThat(mensagem.empresaId()).isEqualTo(HostileWebhookDriver.OTHER_EMPRESA);
            assertThat(mensagem.keyId()).isEqualTo(t.otherKeyId());
            assertThat(mensagem.text()).isEqualTo(HostileWebhookDriver.OTHER_TEXT);
        });
        assertThat(other.values(Topics.EVENTS)).anySatisfy(event -> {
            assertThat(event.type()).isEqualTo(EventType.MESSAGE_NOTIFICATION);
            assertThat(event.empresaId()).isEqualTo(HostileWebhookDriver.OTHER_EMPRESA);
            assertThat(event.data().path("mensagem").path("keyId").asString()).isEqualTo(t.otherKeyId());
        });
        assertThat(other.records(Topics.DLQ)).isEmpty();
    }

    /** Every record within its topic's limit; every text within its field's, without NUL or a lone surrogate. */
    private static void assertKeepable(Step step) {
        for (Map.Entry<TopicSpec<String, ?>, List<TestRecord<String, byte[]>>> topic : step.records().entrySet()) {
            for (TestRecord<String, byte[]> record : topic.getValue()) {
                assertThat(topic.getKey().fits(size(record))).as("a record of %s of %d bytes fits it",
                        topic.getKey(), size(record)).isTrue();
            }
        }
        for (Mensagem m : step.values(Topics.MENSAGENS)) {
            assertText("text", m.text(), FieldLimits.TEXT);
            assertText("senderName", m.senderName(), FieldLimits.NAME);
            List.of(m.instance(), m.keyId(), m.messageType()).forEach(id -> assertText("id", id,
                    FieldLimits.IDENTIFIER));
            assertText("senderJid", m.senderJid(), FieldLimits.IDENTIFIER);
        }
        for (Conversa c : step.values(Topics.CONVERSAS)) {
            assertText("contactName", c.contactName(), FieldLimits.NAME);
            assertText("lastMensagemPreview", c.lastMensagemPreview(), FieldLimits.TEXT);
            assertText("remoteJid", c.remoteJid(), FieldLimits.IDENTIFIER);
            assertText("remoteJidAlt", c.remoteJidAlt(), FieldLimits.IDENTIFIER);
        }
        for (RealtimeEvent event : step.values(Topics.EVENTS)) {
            assertStrings(event.data());
        }
    }

    private static long size(TestRecord<String, byte[]> record) {
        long size = (record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length)
                + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /** Every string in an event's data, however deep: events carry names and texts to browsers. */
    private static void assertStrings(JsonNode node) {
        if (node.isString()) {
            assertText("event data", node.stringValue(), FieldLimits.TEXT);
        }
        node.values().forEach(HostileWebhookPropertiesTest::assertStrings);
    }

    private static void assertText(String field, String value, int limit) {
        if (value == null) {
            return;
        }
        assertThat(value.codePointCount(0, value.length())).as(field + " length").isLessThanOrEqualTo(limit);
        assertThat(value).as(field + " holds NUL").doesNotContain("\u0000");
        // String.codePoints yields a lone surrogate as itself; a pair becomes one code point beyond them
        assertThat(value.codePoints().filter(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))
                .as(field + " holds a lone surrogate").isEmpty();
    }
}
