package dev.chatcentral.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.topic.RecordHeaders;
import dev.chatcentral.schemas.topic.Topics;

/**
 * {@code shadow} against the real pipeline: the stream processor runs production's topology over webhooks of two
 * empresas; the same topology run by the tool into shadow topics produces the same events, and a record production
 * has and the shadow cannot is reported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShadowIntegrationTest {

    private static final String PROCESSOR = "chat-central-stream-processor";
    private static final long SENT_AT = 1_761_057_639L;

    @RegisterExtension
    static final Pipeline pipeline = new Pipeline();

    /** Between the two batches of webhooks: the second starts conversas of its own. */
    private static Instant between;

    @BeforeAll
    static void processWebhooks() throws InterruptedException {
        sendBatch("a", 0);
        awaitProcessed();
        // an atendente takes a conversa and answers: commands change conversas too, and make a reply to send
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.database()
                .queryForLong("SELECT count(*) FROM conversa WHERE empresa_id = 'emp-a'") == 2);
        String conversaId = pipeline.database().queryForString(
                "SELECT id::text FROM conversa WHERE empresa_id = 'emp-a' ORDER BY id LIMIT 1");
        command("ana-assign", AgentCommand.ASSIGN, conversaId, null);
        command("ana-reply", AgentCommand.SEND_MESSAGE, conversaId, "Olá, Maria! Como posso ajudar?");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> pipeline.caughtUp(PROCESSOR, Topics.WEBHOOKS, Topics.COMMANDS));
        Thread.sleep(50);
        between = Instant.now();
        Thread.sleep(50);
        sendBatch("b", 100);
        awaitProcessed();
    }

    private static void sendBatch(String batch, int first) {
        for (int i = first; i < first + 4; i++) {
            String empresa = i % 2 == 0 ? "emp-a" : "emp-b";
            String instance = "loja-" + empresa;
            String customer = "5511977" + (10000 + i) + "@s.whatsapp.net";
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.customerText(instance, customer, "K" + batch + i,
                    "Oi " + i, SENT_AT + i));
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.customerText(instance, customer, "K" + batch + i + "x",
                    "Preciso de ajuda", SENT_AT + i + 1));
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.receipt(instance, customer, "K" + batch + i, false,
                    "READ"));
            // Evolution redelivers: the topology drops it, in production and in the shadow alike
            pipeline.send(Topics.WEBHOOKS, empresa, Pipeline.customerText(instance, customer, "K" + batch + i,
                    "Oi " + i, SENT_AT + i));
        }
    }

    private static void command(String commandId, String type, String conversaId, String text) {
        AgentCommand command = new AgentCommand(commandId, "emp-a", "ana", List.of("atendente"), type, conversaId,
                null, text, null, null, Instant.now(), null);
        pipeline.send(Topics.COMMANDS, "emp-a",
                Topics.COMMANDS.valueSerde().serializer().serialize(Topics.COMMANDS.name(), command));
    }

    private static void awaitProcessed() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> pipeline.caughtUp(PROCESSOR, Topics.WEBHOOKS));
    }

    private static Pipeline.Run shadow(String prefix, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"shadow", "--bootstrap", pipeline.kafka().bootstrapServers(), "--prefix",
                prefix, "--timeout=120"}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        return Pipeline.replay(args);
    }

    @Test
    @Order(1)
    void shouldMatchProductionEventByEventWhenTheTopologyIsTheSame() {
        Pipeline.Run run = shadow("shadow-same");

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(Replay.OK);
        assertThat(run.out()).contains("EQUAL");
        // 8 conversas, their 16 mensagens (and the receipts' versions), their realtime events: all compared
        // production, shadow, matched, differing, only production, only shadow
        assertThat(Pipeline.row(run.out(), "chat.conversas")).containsExactly(8L, 8L, 8L, 0L, 0L, 0L);
        // each mensagem and its receipt's version, and the reply; the redeliveries made nothing
        List<Long> mensagens = Pipeline.row(run.out(), "chat.mensagens");
        assertThat(mensagens.get(0)).isGreaterThan(24L);
        assertThat(mensagens).containsExactly(mensagens.get(0), mensagens.get(0), mensagens.get(0), 0L, 0L, 0L);
        assertThat(Pipeline.row(run.out(), "chat.events").get(0)).isGreaterThanOrEqualTo(24L);
        assertThat(Pipeline.row(run.out(), "chat.events").subList(3, 6)).containsOnly(0L);
        // the reply to send, from the command
        assertThat(Pipeline.row(run.out(), "chat.outbound")).containsExactly(1L, 1L, 1L, 0L, 0L, 0L);
        assertThat(pipeline.kafka().readCommitted("shadow-same.chat.mensagens")).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    @Order(2)
    void shouldCompareOnlyTheWindowWhenStartedFromATimestamp() {
        Pipeline.Run run = shadow("shadow-window", "--from-timestamp", between.toString());

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(Replay.OK);
        assertThat(Pipeline.row(run.out(), "chat.conversas")).containsExactly(4L, 4L, 4L, 0L, 0L, 0L);
        assertThat(Pipeline.row(run.out(), "chat.mensagens")).containsExactly(12L, 12L, 12L, 0L, 0L, 0L);
    }

    @Test
    @Order(3)
    void shouldRefuseAPrefixUsedBefore() {
        Pipeline.Run run = shadow("shadow-same");

        assertThat(run.status()).isEqualTo(Replay.REFUSED);
        assertThat(run.err()).contains("exists already");
    }

    @Test
    @Order(4)
    void shouldReportWhatProductionHasAndTheShadowDoesNot() {
        String planted = "{\"id\":\"planted\",\"empresaId\":\"emp-b\",\"type\":\"conversation_updated\","
                + "\"channels\":[\"empresa:emp-b\"],\"data\":{},\"ts\":\"" + Instant.now() + "\"}";
        pipeline.send(Topics.EVENTS, "emp-b", planted.getBytes(StandardCharsets.UTF_8));
        // what other stages write to the same topics is not the conversa topology's to match
        String presence = "{\"id\":\"p1\",\"empresaId\":\"emp-a\",\"type\":\"presence_update\","
                + "\"channels\":[\"presence:emp-a\"],\"data\":{},\"ts\":\"" + Instant.now() + "\"}";
        pipeline.send(Topics.EVENTS, "emp-a", presence.getBytes(StandardCharsets.UTF_8));
        pipeline.send(Topics.DLQ, "emp-a", "refused by PostgreSQL".getBytes(StandardCharsets.UTF_8),
                Map.of(RecordHeaders.DLQ_STAGE, "sink"));

        Pipeline.Run run = shadow("shadow-planted");

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(Replay.DIFFERENT);
        assertThat(run.out()).contains("DIFFERENT").contains("chat.events key emp-b")
                .contains("only in production").contains("\"id\":\"planted\"");
        assertThat(Pipeline.row(run.out(), "chat.events").subList(3, 6)).containsExactly(0L, 1L, 0L);
        assertThat(Pipeline.row(run.out(), "chat.conversas").subList(3, 6)).containsOnly(0L);
        assertThat(Pipeline.row(run.out(), "chat.dlq")).containsOnly(0L);
    }

    @Test
    @Order(5)
    void shouldLeaveProductionsTopicsAndGroupsAlone() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.kafka().bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).contains("shadow-same.chat.conversas", "shadow-same.chat.dlq",
                    "shadow-same.chat.webhooks.retry");
            assertThat(topics.stream().filter(t -> t.startsWith("shadow-")))
                    .allMatch(t -> t.startsWith("shadow-same") || t.startsWith("shadow-window")
                            || t.startsWith("shadow-planted"));
        }
        // production's processor went on all along: a new webhook is still processed
        pipeline.send(Topics.WEBHOOKS, "emp-a", Pipeline.customerText("loja-emp-a", "5511977999999@s.whatsapp.net",
                "KLATE", "Ainda aí?", SENT_AT + 500));
        awaitProcessed();
    }
}
