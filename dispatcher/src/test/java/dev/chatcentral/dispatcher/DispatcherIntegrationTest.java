package dev.chatcentral.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.security.DevelopmentSecrets;
import dev.chatcentral.simulator.EvolutionSimulatorApplication;
import dev.chatcentral.testing.ManagementPortCheck;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The dispatcher service against the real Evolution simulator over HTTP, an embedded broker and a throwaway
 * database. Each test uses its own
 * instances, so circuits and simulator behaviors of one test never touch another's.
 */
class DispatcherIntegrationTest {

    private static final String APIKEY = "test-global-key";
    private static final String NUMBER = "5511988887777";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestKafka kafka;
    private static TestDatabase database;
    private static ConfigurableApplicationContext simulator;
    private static String simulatorUrl;
    private static ConfigurableApplicationContext dispatcher;
    private static KafkaProducer<String, byte[]> producer;
    private static Thread resultReader;
    private static volatile boolean reading = true;
    private static final List<OutboundResult> RESULTS = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        // this module's classpath has JDBC, Kafka and the services' topic catalog, which the simulator neither has
        // nor needs (without the services' shared Kafka settings it would check a broker it was never given)
        simulator = EvolutionSimulatorApplication.application().run("--server.port=0",
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration,"
                        + "dev.chatcentral.service.topic.TopicCatalogAutoConfiguration",
                "--chatcentral.simulator.enabled=false",
                "--chatcentral.simulator.send-text.global-apikey=" + APIKEY);
        simulatorUrl = "http://127.0.0.1:" + simulator.getEnvironment().getRequiredProperty("local.server.port");
        dispatcher = startDispatcher();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        resultReader = new Thread(DispatcherIntegrationTest::readResults, "results-reader");
        resultReader.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        reading = false;
        if (resultReader != null) {
            resultReader.join(5000);
        }
        if (producer != null) {
            producer.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (database != null) {
            database.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ConfigurableApplicationContext startDispatcher() {
        return DispatcherApplication.application().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--chatcentral.dispatcher.evolution-url=" + simulatorUrl,
                "--chatcentral.dispatcher.evolution-apikey=" + APIKEY,
                "--chatcentral.dispatcher.batch-size=5",
                "--chatcentral.dispatcher.call-timeout=500ms",
                "--chatcentral.dispatcher.shutdown-timeout=10s",
                "--chatcentral.dispatcher.retry.timeouts=true",
                "--chatcentral.dispatcher.retry.initial-backoff=100ms",
                "--chatcentral.dispatcher.retry.max-backoff=200ms",
                "--chatcentral.dispatcher.circuit.window=4",
                "--chatcentral.dispatcher.circuit.minimum-calls=4",
                "--chatcentral.dispatcher.circuit.open-for=1s",
                "--chatcentral.dispatcher.circuit.max-wait=200ms",
                "--chatcentral.dispatcher.rate-limit.permits=1000",
                "--chatcentral.dispatcher.rate-limit.period=1s",
                "--chatcentral.dispatcher.lookup.delay=1s",
                "--chatcentral.dispatcher.lookup.timeout=2s");
    }

    @Test
    void shouldServeHealthAndMetricsOnlyOnTheManagementPortBehindItsToken() {
        ManagementPortCheck.assertGuarded(dispatcher.getEnvironment(), DevelopmentSecrets.ADMIN_API_TOKEN);
    }

    @Test
    void shouldReportSentWithTheKeyIdEvolutionAnswered() {
        OutboundMessage message = message("loja-sent", "Sim! Entregamos até 18h.");

        send(message);

        OutboundResult result = awaitResult(message.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.SENT);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.empresaId()).isEqualTo("emp-1");
        assertThat(result.mensagemId()).isEqualTo(message.mensagemId());
        assertThat(result.conversaId()).isEqualTo(message.conversaId());
        JsonNode calls = calls("loja-sent");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("text").asString()).isEqualTo("Sim! Entregamos até 18h.");
        assertThat(calls.get(0).get("number").asString()).isEqualTo(NUMBER);
        assertThat(result.keyId()).isEqualTo(calls.get(0).get("keyId").asString()).matches("3EB0[0-9A-F]{16}");
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ? "
                + "AND outcome = 'SENT' AND key_id = ? AND finished_at IS NOT NULL AND attempts = 1",
                message.commandId(), result.keyId())).isEqualTo(1);
        MeterRegistry meters = dispatcher.getBean(MeterRegistry.class);
        assertThat(meters.get("chatcentral.dispatcher.sends").tags("instance", "loja-sent", "outcome", "sent")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("chatcentral.dispatcher.evolution.calls").tags("instance", "loja-sent", "result", "2xx")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void shouldFailAtOnceWithoutRetryWhenTheNumberIsNotOnWhatsAppOrTheKeyIsRefused() {
        behave("loja-400", "{\"mode\":\"not_on_whatsapp\"}");
        behave("loja-401", "{\"mode\":\"unauthorized\"}");
        OutboundMessage notOnWhatsApp = message("loja-400", "Oi");
        OutboundMessage refused = message("loja-401", "Oi");

        send(notOnWhatsApp);
        send(refused);

        OutboundResult first = awaitResult(notOnWhatsApp.commandId());
        assertThat(first.status()).isEqualTo(OutboundResult.FAILED);
        assertThat(first.error()).isEqualTo("number " + NUMBER + " is not on WhatsApp");
        assertThat(first.attempts()).isEqualTo(1);
        OutboundResult second = awaitResult(refused.commandId());
        assertThat(second.status()).isEqualTo(OutboundResult.FAILED);
        assertThat(second.error()).contains("401");
        assertThat(second.attempts()).isEqualTo(1);
        assertThat(calls("loja-400")).hasSize(1);
        assertThat(calls("loja-401")).hasSize(1);
    }

    @Test
    void shouldOpenTheCircuitInAServerErrorStormThenHalfOpenAndRecover() throws InterruptedException {
        behave("loja-storm", "{\"mode\":\"server_error\"}");
        List<OutboundMessage> storm = List.of(message("loja-storm", "1"), message("loja-storm", "2"),
                message("loja-storm", "3"), message("loja-storm", "4"));
        OutboundMessage elsewhere = message("loja-calm", "enquanto isso");

        storm.forEach(DispatcherIntegrationTest::send);
        send(elsewhere);

        List<OutboundResult> failed = storm.stream().map(m -> awaitResult(m.commandId())).toList();
        assertThat(failed).allSatisfy(r -> assertThat(r.status()).isEqualTo(OutboundResult.FAILED));
        assertThat(failed.get(0).error()).startsWith("not sent after 3 calls: Evolution answered 500");
        assertThat(failed.get(0).attempts()).isEqualTo(3);
        assertThat(failed.get(0).reason()).isEqualTo("retries_exhausted");
        // the fourth failed call opened the circuit: the second reply's retry, and the replies after it, never call
        assertThat(failed.get(1).error()).contains("circuit open").contains("after 1 calls");
        assertThat(failed.get(1).reason()).isEqualTo("retries_exhausted");
        assertThat(failed.subList(2, 4)).allSatisfy(r -> {
            assertThat(r.reason()).isEqualTo(OutboundResult.INSTANCE_UNAVAILABLE);
            assertThat(r.error()).startsWith("WhatsApp number loja-storm is unavailable (4 failures in a row); "
                    + "not sent; try again after ");
            assertThat(r.attempts()).isZero();
            assertThat(r.retryAt()).isAfter(r.ts().minusMillis(1)).isBefore(r.ts().plusSeconds(1));
        });
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ? AND outcome = "
                + "'FAILED' AND reason = 'instance_unavailable' AND retry_at IS NOT NULL AND attempts = 0",
                storm.get(3).commandId())).isEqualTo(1);
        assertThat(calls("loja-storm")).hasSize(4);
        assertThat(circuitState("loja-storm")).isEqualTo(2);
        assertThat(awaitResult(elsewhere.commandId()).status()).isEqualTo(OutboundResult.SENT);

        behave("loja-storm", "{\"mode\":\"ok\"}");
        Thread.sleep(1100);
        OutboundMessage probe = message("loja-storm", "de volta");
        send(probe);

        OutboundResult recovered = awaitResult(probe.commandId());
        assertThat(recovered.status()).isEqualTo(OutboundResult.SENT);
        assertThat(recovered.attempts()).isEqualTo(1);
        assertThat(circuitState("loja-storm")).isZero();
    }

    @Test
    void shouldTimeOutASlowAnswerAndRetryIt() {
        behave("loja-slow", "{\"mode\":\"slow\",\"delayMs\":1500,\"failures\":1}");
        OutboundMessage message = message("loja-slow", "Demorou?");

        send(message);

        OutboundResult result = awaitResult(message.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.SENT);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(dispatcher.getBean(MeterRegistry.class).get("chatcentral.dispatcher.evolution.calls")
                .tags("instance", "loja-slow", "result", "no_answer").timer().count()).isEqualTo(1);
        // the slow call was answered too, after the dispatcher gave up on it: the price of retrying timeouts
        await().atMost(WAIT).untilAsserted(() -> assertThat(calls("loja-slow")).hasSize(2));
        assertThat(calls("loja-slow")).anySatisfy(c -> assertThat(c.get("keyId").asString()).isEqualTo(result.keyId()));
    }

    @Test
    void shouldSendNoReplyTwiceAndDropNoneWhenTheDispatcherRestartsMidBurst() {
        List<String> instances = List.of("burst-1", "burst-2", "burst-3");
        instances.forEach(i -> behave(i, "{\"mode\":\"slow\",\"delayMs\":100}"));
        List<OutboundMessage> burst = new ArrayList<>();
        for (int n = 0; n < 45; n++) {
            burst.add(message(instances.get(n % instances.size()), "resposta " + n));
        }

        burst.forEach(DispatcherIntegrationTest::send);
        await().atMost(WAIT).until(() -> burst.stream().filter(m -> resultsOf(m.commandId()).size() > 0).count() >= 6);
        dispatcher.close();
        long doneBeforeRestart = burst.stream().filter(m -> !resultsOf(m.commandId()).isEmpty()).count();
        dispatcher = startDispatcher();

        await().atMost(WAIT).until(() -> burst.stream().allMatch(m -> !resultsOf(m.commandId()).isEmpty()));
        assertThat(doneBeforeRestart).isLessThan(burst.size());
        Map<String, Long> sentPerText = instances.stream().flatMap(i -> stream(calls(i)))
                .filter(c -> c.get("status").intValue() == 201)
                .collect(Collectors.groupingBy(c -> c.get("text").asString(), Collectors.counting()));
        assertThat(sentPerText).hasSize(burst.size()).allSatisfy((text, count) -> assertThat(count).isEqualTo(1));
        for (OutboundMessage message : burst) {
            List<OutboundResult> results = resultsOf(message.commandId());
            assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(OutboundResult.SENT));
            assertThat(results.stream().map(OutboundResult::keyId).distinct()).hasSize(1);
        }
    }

    @Test
    void shouldBeUnconfirmedWithOutcomeUnknownAndNotCallWhenAnEarlierAttemptDiedMidCall() {
        OutboundMessage message = message("loja-crash", "Chegou?");
        database.execute("INSERT INTO outbound_attempt (command_id, user_id, mensagem_id, empresa_id, instance, "
                + "started_at) VALUES (?, ?, ?, ?, ?, now())", message.commandId(), message.userId(),
                message.mensagemId(), message.empresaId(), message.instance());

        send(message);

        OutboundResult result = awaitResult(message.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.UNCONFIRMED);
        assertThat(result.reason()).isEqualTo("unknown_outcome");
        assertThat(result.error()).isEqualTo("outcome unknown after a dispatcher restart; WhatsApp may have received "
                + "the reply: waiting for evidence");
        assertThat(calls("loja-crash")).isEmpty();
        assertThat(calls("loja-crash", "findMessages")).hasSize(1);
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ? "
                + "AND outcome = 'UNCONFIRMED' AND reason = 'unknown_outcome' AND finished_at IS NOT NULL",
                message.commandId())).isEqualTo(1);
    }

    @Test
    void shouldSendTheRepliesOfTwoEmpresasAndTwoUsersThatChoseTheSameCommandId() {
        String commandId = UUID.randomUUID().toString();
        String first = ownedBy("emp-1", "loja-same-id");
        String second = ownedBy("emp-2", "loja-same-id-2");
        List<OutboundMessage> replies = List.of(
                new OutboundMessage(commandId, "ana", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        "emp-1", first, NUMBER, "Da Ana", null, null),
                new OutboundMessage(commandId, "bia", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        "emp-1", first, NUMBER, "Da Bia", null, null),
                new OutboundMessage(commandId, "ana", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        "emp-2", second, NUMBER, "Da Ana, outra empresa", null, null));

        replies.forEach(DispatcherIntegrationTest::send);

        await().atMost(WAIT).until(() -> resultsOf(commandId).size() == 3);
        assertThat(resultsOf(commandId)).extracting(OutboundResult::status).containsOnly(OutboundResult.SENT);
        assertThat(calls(first)).hasSize(2);
        assertThat(calls(second)).hasSize(1);
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ?", commandId))
                .isEqualTo(3);
    }

    @Test
    void shouldNotSendFromAnInstanceThatIsNotTheRepliesEmpresas() {
        ownedBy("emp-dona", "loja-de-outra");
        OutboundMessage foreign = new OutboundMessage(UUID.randomUUID().toString(), "ana",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), "emp-1", "loja-de-outra", NUMBER, "Oi",
                null, null);

        send(foreign);

        OutboundResult result = awaitResult(foreign.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.FAILED);
        assertThat(result.error()).contains("not one of this empresa's WhatsApp numbers");
        assertThat(calls("loja-de-outra")).isEmpty();
    }

    @Test
    void shouldPublishTheRecordedResultAgainWithoutCallingWhenACommandComesTwice() {
        OutboundMessage message = message("loja-twice", "Uma vez só");

        send(message);
        awaitResult(message.commandId());
        send(message);

        await().atMost(WAIT).until(() -> resultsOf(message.commandId()).size() == 2);
        assertThat(resultsOf(message.commandId())).extracting(OutboundResult::status, OutboundResult::keyId)
                .containsOnly(Tuple.tuple(OutboundResult.SENT,
                        resultsOf(message.commandId()).get(0).keyId()));
        assertThat(calls("loja-twice")).hasSize(1);
    }

    @Test
    void shouldReportInvalidRepliesWithoutCallingAndKeepGoing() {
        OutboundMessage noNumber = new OutboundMessage(UUID.randomUUID().toString(), "atendente-1",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), "emp-1", "loja-bad", " ", "Oi", null, null);
        OutboundMessage valid = message("loja-bad", "Agora sim");

        producer.send(new ProducerRecord<>(Topics.OUTBOUND.name(), "loja-bad",
                "{not json".getBytes(StandardCharsets.UTF_8)));
        send(noNumber);
        send(valid);

        OutboundResult invalid = awaitResult(noNumber.commandId());
        assertThat(invalid.status()).isEqualTo(OutboundResult.FAILED);
        assertThat(invalid.error()).isEqualTo("invalid reply: missing number");
        assertThat(awaitResult(valid.commandId()).status()).isEqualTo(OutboundResult.SENT);
        assertThat(calls("loja-bad")).hasSize(1);
        assertThat(dispatcher.getBean(MeterRegistry.class).get("chatcentral.dispatcher.sends")
                .tags("outcome", "invalid").counters()).isNotEmpty();
    }

    @Test
    void shouldBeUnconfirmedNotFailedWhenSendTextGotNoAnswerAndEvolutionHasNoSuchMessage() {
        // the sends happen only when their delay ends, well after the lookup: Evolution has no such message yet
        behave("loja-unanswered", "{\"mode\":\"slow\",\"delayMs\":8000}");
        OutboundMessage message = message("loja-unanswered", "Chegou?");

        send(message);

        OutboundResult result = awaitResult(message.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.UNCONFIRMED);
        assertThat(result.reason()).isEqualTo("no_answer");
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.keyId()).isNull();
        assertThat(result.error()).isEqualTo("Evolution did not answer within 500 ms; WhatsApp may have received the "
                + "reply: waiting for evidence");
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ? AND outcome = "
                + "'UNCONFIRMED' AND reason = 'no_answer' AND attempts = 3", message.commandId())).isEqualTo(1);
        assertThat(calls("loja-unanswered", "findMessages")).hasSize(1);

        send(message);

        await().atMost(WAIT).until(() -> resultsOf(message.commandId()).size() == 2);
        assertThat(resultsOf(message.commandId()).get(1)).satisfies(again -> {
            assertThat(again.status()).isEqualTo(OutboundResult.UNCONFIRMED);
            assertThat(again.reason()).isEqualTo("no_answer");
            assertThat(again.error()).isEqualTo(result.error());
        });
        assertThat(calls("loja-unanswered", "findMessages")).hasSize(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(calls("loja-unanswered")).hasSize(3));
    }

    @Test
    void shouldBeSentWithTheKeyIdEvolutionHasWhenSendTextGotNoAnswer() {
        behave("loja-found", "{\"mode\":\"slow\",\"delayMs\":1500}");
        OutboundMessage message = message("loja-found", "Chegou agora?");

        send(message);

        OutboundResult result = awaitResult(message.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.SENT);
        assertThat(result.reason()).isNull();
        assertThat(result.attempts()).isEqualTo(3);
        // each unanswered call was sent in the end (the price of retrying timeouts): the first is the reply's
        assertThat(result.keyId()).isEqualTo(calls("loja-found").get(0).get("keyId").asString());
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ? AND outcome = "
                + "'SENT' AND key_id = ?", message.commandId(), result.keyId())).isEqualTo(1);
    }

    @Test
    void shouldFindTheReplyADeadDispatcherSentInsteadOfCallingAgain() {
        OutboundMessage message = message("loja-crash-found", "Chegou mesmo?");
        database.execute("INSERT INTO outbound_attempt (command_id, user_id, mensagem_id, empresa_id, instance, "
                + "started_at) VALUES (?, ?, ?, ?, ?, now() - interval '2 seconds')", message.commandId(),
                message.userId(), message.mensagemId(), message.empresaId(), message.instance());
        HttpResponse<String> sentBeforeDying = http("POST", "/message/sendText/loja-crash-found",
                "{\"number\":\"" + NUMBER + "\",\"text\":\"Chegou mesmo?\"}", APIKEY);
        assertThat(sentBeforeDying.statusCode()).isEqualTo(201);

        send(message);

        OutboundResult result = awaitResult(message.commandId());
        assertThat(result.status()).isEqualTo(OutboundResult.SENT);
        assertThat(result.keyId()).isEqualTo(Json.MAPPER.readTree(sentBeforeDying.body()).at("/key/id").asString());
        assertThat(calls("loja-crash-found")).hasSize(1);
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE command_id = ? AND outcome = "
                + "'SENT' AND key_id = ?", message.commandId(), result.keyId())).isEqualTo(1);
    }

    @Test
    void shouldSendAReactionAndADeletionOnceEach() {
        String instance = ownedBy("emp-1", "loja-kinds");
        OutboundMessage.TargetKey target = new OutboundMessage.TargetKey(NUMBER + "@s.whatsapp.net", false,
                "3A5F0B6C1D2E3F405162", null);
        OutboundMessage reaction = new OutboundMessage(UUID.randomUUID().toString(), "atendente-1",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), "emp-1", instance, null, "❤️", null, null,
                OutboundMessage.REACTION, target);
        OutboundMessage deletion = new OutboundMessage(UUID.randomUUID().toString(), "atendente-1",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), "emp-1", instance, null, null, null, null,
                OutboundMessage.DELETE, new OutboundMessage.TargetKey(NUMBER + "@s.whatsapp.net", true,
                        "3EB0AAAABBBBCCCCDDDD", null));

        send(reaction);
        send(deletion);
        awaitResult(reaction.commandId());
        send(reaction);

        await().atMost(WAIT).until(() -> resultsOf(reaction.commandId()).size() == 2);
        assertThat(resultsOf(reaction.commandId())).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(OutboundResult.SENT);
            assertThat(r.keyId()).matches("3EB0[0-9A-F]{16}").isEqualTo(resultsOf(reaction.commandId()).get(0).keyId());
        });
        OutboundResult deleted = awaitResult(deletion.commandId());
        assertThat(deleted.status()).isEqualTo(OutboundResult.SENT);
        assertThat(deleted.attempts()).isEqualTo(1);
        JsonNode reactions = calls(instance, "sendReaction");
        assertThat(reactions).hasSize(1);
        assertThat(reactions.get(0).get("number").asString()).isEqualTo(NUMBER + "@s.whatsapp.net");
        assertThat(reactions.get(0).get("text").asString()).isEqualTo("❤️");
        assertThat(reactions.get(0).get("targetKeyId").asString()).isEqualTo("3A5F0B6C1D2E3F405162");
        assertThat(reactions.get(0).get("keyId").asString()).isEqualTo(resultsOf(reaction.commandId()).get(0).keyId());
        JsonNode deletions = calls(instance, "deleteMessageForEveryone");
        assertThat(deletions).hasSize(1);
        assertThat(deletions.get(0).get("number").asString()).isEqualTo(NUMBER + "@s.whatsapp.net");
        assertThat(deletions.get(0).get("targetKeyId").asString()).isEqualTo("3EB0AAAABBBBCCCCDDDD");
        assertThat(deletions.get(0).get("status").intValue()).isEqualTo(201);
        assertThat(calls(instance)).isEmpty();
        assertThat(dispatcher.getBean(MeterRegistry.class).get("chatcentral.dispatcher.evolution.calls")
                .tags("instance", instance, "kind", "reaction", "result", "2xx").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldAnswerHostileSendsInvalidWithoutCallingAndStillSendTheNextInstancesReply() {
        String instance = ownedBy("emp-1", "loja-hostile");
        String target = "{\"remoteJid\":\"" + NUMBER + "@s.whatsapp.net\",\"fromMe\":false,\"id\":\"3A5F\"}";
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("huge emoji", "{\"kind\":\"reaction\",\"text\":\"" + "😀".repeat(100_000) + "\",\"target\":"
                + target + "}");
        hostile.put("NUL", "{\"number\":\"" + NUMBER + "\",\"text\":\"Oi\\u0000\"}");
        hostile.put("missing target", "{\"kind\":\"reaction\",\"text\":\"👍\"}");
        hostile.put("deletion without target", "{\"kind\":\"delete\"}");
        hostile.put("unknown kind", "{\"kind\":\"explode\",\"number\":\"" + NUMBER + "\",\"text\":\"Oi\"}");
        hostile.put("no emoji", "{\"kind\":\"reaction\",\"target\":" + target + "}");
        Map<String, String> commandIds = new LinkedHashMap<>();
        hostile.forEach((name, fields) -> {
            String commandId = UUID.randomUUID().toString();
            commandIds.put(name, commandId);
            sendRaw(instance, "{\"commandId\":\"" + commandId + "\",\"userId\":\"atendente-1\",\"empresaId\":"
                    + "\"emp-1\",\"instance\":\"" + instance + "\"," + fields.substring(1));
        });
        // a target of the wrong type cannot be read at all: skipped, nothing to answer
        sendRaw(instance, "{\"commandId\":\"x\",\"empresaId\":\"emp-1\",\"instance\":\"" + instance
                + "\",\"kind\":\"reaction\",\"target\":\"3A5F\"}");
        OutboundMessage same = message(instance, "Depois das bobagens");
        OutboundMessage next = message("loja-hostile-next", "Na outra loja");
        send(same);
        send(next);

        commandIds.forEach((name, commandId) -> assertThat(awaitResult(commandId)).as(name).satisfies(r -> {
            assertThat(r.status()).isEqualTo(OutboundResult.FAILED);
            assertThat(r.reason()).isEqualTo("invalid");
            assertThat(r.attempts()).isZero();
            assertThat(r.error()).hasSizeLessThan(300);
        }));
        assertThat(awaitResult(commandIds.get("unknown kind")).error())
                .isEqualTo("invalid outbound message: unknown kind \"explode\"");
        assertThat(awaitResult(commandIds.get("huge emoji")).error())
                .isEqualTo("invalid reaction: text longer than 64 characters");
        assertThat(awaitResult(same.commandId()).status()).isEqualTo(OutboundResult.SENT);
        assertThat(awaitResult(next.commandId()).status()).isEqualTo(OutboundResult.SENT);
        assertThat(calls(instance)).hasSize(1);
        assertThat(calls(instance, null)).hasSize(1);
        assertThat(database.queryForLong("SELECT count(*) FROM outbound_attempt WHERE instance = ?", instance))
                .isEqualTo(1);
    }

    /** The instance as one of the empresa's numbers, as the admin API attaches it. */
    private static String ownedBy(String empresaId, String instance) {
        database.execute("INSERT INTO empresa (id, nome) VALUES (?, ?) ON CONFLICT DO NOTHING", empresaId, empresaId);
        database.execute("INSERT INTO empresa_instance (empresa_id, instance) VALUES (?, ?) ON CONFLICT DO NOTHING",
                empresaId, instance);
        return instance;
    }

    private static OutboundMessage message(String instance, String text) {
        ownedBy("emp-1", instance);
        return new OutboundMessage(UUID.randomUUID().toString(), "atendente-1", UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "emp-1", instance, NUMBER, text, null, null);
    }

    private static void send(OutboundMessage message) {
        try {
            producer.send(new ProducerRecord<>(Topics.OUTBOUND.name(), message.instance(),
                    Topics.OUTBOUND.valueSerde().serializer().serialize(Topics.OUTBOUND.name(), message))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendRaw(String instance, String json) {
        try {
            producer.send(new ProducerRecord<>(Topics.OUTBOUND.name(), instance,
                    json.getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutboundResult awaitResult(String commandId) {
        await().atMost(WAIT).until(() -> !resultsOf(commandId).isEmpty());
        return resultsOf(commandId).get(0);
    }

    private static List<OutboundResult> resultsOf(String commandId) {
        return RESULTS.stream().filter(r -> commandId.equals(r.commandId())).toList();
    }

    private static int circuitState(String instance) {
        return (int) dispatcher.getBean(MeterRegistry.class).get("chatcentral.dispatcher.circuit.state")
                .tags("instance", instance).gauge().value();
    }

    private static void behave(String instance, String behavior) {
        HttpResponse<String> response = http("PUT", "/simulator/instances/" + instance + "/behavior", behavior);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The sendText calls the simulator got for the instance, oldest first. */
    private static JsonNode calls(String instance) {
        return calls(instance, "sendText");
    }

    /** The simulator's calls of one kind (null: all kinds) for the instance, oldest first. */
    private static JsonNode calls(String instance, String kind) {
        return Json.MAPPER.readTree(http("GET", "/simulator/instances/" + instance + "/calls"
                + (kind == null ? "" : "?kind=" + kind), null).body());
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }

    private static HttpResponse<String> http(String method, String path, String body) {
        return http(method, path, body, "none");
    }

    private static HttpResponse<String> http(String method, String path, String body, String apikey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulatorUrl + path))
                .header("Content-Type", "application/json")
                .header("apikey", apikey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readResults() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, OutboundResult> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                Topics.OUTBOUND_RESULTS.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < TopicCatalog.DEFAULT_PARTITIONS; p++) {
                partitions.add(new TopicPartition(Topics.OUTBOUND_RESULTS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> RESULTS.add(r.value()));
            }
        }
    }
}
