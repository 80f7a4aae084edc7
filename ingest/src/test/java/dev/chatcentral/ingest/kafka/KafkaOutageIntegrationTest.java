package dev.chatcentral.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chatcentral.ingest.IngestTestApp;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The broker goes away in the middle of a stream of webhooks and comes back: the ingest must never have said 2xx
 * for a webhook that is not in Kafka, must answer 503 quickly rather than hang, and must take writes again by
 * itself once the broker is back.
 */
class KafkaOutageIntegrationTest {

    private static final String EMPRESA = "emp-outage";
    private static final String INSTANCE = "loja-outage-01";
    private static final String SECRET = "segredo-outage";

    private static TestKafka kafka;
    private static TestDatabase database;
    private static IngestTestApp ingest;

    @BeforeAll
    static void start() {
        kafka = TestKafka.startRestartable();
        database = TestDatabase.create();
        ingest = IngestTestApp.start(kafka, database);
        database.seedEmpresa(EMPRESA, INSTANCE, SECRET);
    }

    @AfterAll
    static void stop() {
        ingest.close();
        database.close();
        kafka.close();
    }

    @Test
    void shouldNeverAcknowledgeAWebhookThatIsNotInKafkaWhileTheBrokerStopsAndRestarts() throws Exception {
        record Answer(String keyId, int status, long millis) {
        }
        awaitEmpresaKnown();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean posting = new AtomicBoolean(true);
        Thread poster = new Thread(() -> {
            while (posting.get()) {
                String keyId = UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase();
                long start = System.nanoTime();
                HttpResponse<String> response = ingest.post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET,
                        "application/json", upsert(keyId));
                answers.add(new Answer(keyId, response.statusCode(),
                        Duration.ofNanos(System.nanoTime() - start).toMillis()));
            }
        });
        poster.start();
        awaitAnswers(answers, 20);

        kafka.stopBroker();
        long outageStart = answers.size();
        awaitUnavailable(answers);
        assertThat(health()).contains("\"status\":\"DOWN\"");

        kafka.startBroker();
        awaitAcceptedAfter(answers, outageStart);
        posting.set(false);
        poster.join();

        List<Answer> all = new ArrayList<>(answers);
        List<Answer> refused = all.stream().filter(a -> a.status() == 503).toList();
        assertThat(refused).isNotEmpty();
        // answered within the ack timeout (2 s) plus scheduling slack: never Evolution's 30 s
        assertThat(refused).allMatch(a -> a.millis() < 3_000, "503 answered in under 3 s");
        assertThat(all).allMatch(a -> a.status() == 200 || a.status() == 503);

        String marker = all.get(all.size() - 1).keyId();
        Set<String> inKafka = new HashSet<>();
        for (ConsumerRecord<String, EvolutionWebhook> r : ingest.readUntilKeyId(marker)) {
            inKafka.add(IngestTestApp.keyIdOf(r.value()));
        }
        List<String> acknowledgedButMissing = all.stream().filter(a -> a.status() == 200)
                .map(Answer::keyId).filter(k -> !inKafka.contains(k)).toList();
        assertThat(acknowledgedButMissing).isEmpty();
    }

    /** The empresa was seeded after the ingest started; its directory picks it up on the next miss. */
    private static void awaitEmpresaKnown() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ingest.post("/webhooks/evolution/" + EMPRESA, "Bearer " + SECRET, "application/json",
                upsert("WARMUP")).statusCode() != 200) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String health() {
        return ingest.management("GET", "/actuator/health/readiness", null, null).body();
    }

    private static void awaitAnswers(ConcurrentLinkedQueue<?> answers, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (answers.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(answers.size()).isGreaterThanOrEqualTo(count);
    }

    private static <A> void awaitUnavailable(ConcurrentLinkedQueue<A> answers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (answers.stream().anyMatch(a -> a.toString().contains("status=503"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 503 while the broker was down");
    }

    private static <A> void awaitAcceptedAfter(ConcurrentLinkedQueue<A> answers, long index) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<A> later = answers.stream().skip(index).toList();
            boolean sawOutage = false;
            for (A a : later) {
                sawOutage |= a.toString().contains("status=503");
                if (sawOutage && a.toString().contains("status=200")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("writes did not resume after the broker came back");
    }

    private static String upsert(String keyId) {
        return """
                {"event":"messages.upsert","instance":"%s","data":{"key":{"remoteJid":"5511988887777@s.whatsapp.net",
                "fromMe":false,"id":"%s"},"message":{"conversation":"Oi"},"messageType":"conversation",
                "messageTimestamp":1761057639}}
                """.formatted(INSTANCE, keyId);
    }
}
