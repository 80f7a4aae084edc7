package dev.chatcentral.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chatcentral.ingest.IngestTestApp;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * A node restarted under steady load while the broker is healthy answers no webhook 503: it opens only once its
 * producer has written and been acknowledged, and its producer does not count a slow acknowledgement as a failure.
 */
class IngestRestartIntegrationTest {

    private static final int PER_SECOND = 150;

    private static TestKafka kafka;
    private static TestDatabase database;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        database = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        database.close();
        kafka.close();
    }

    @Test
    void shouldAnswerNo503AfterARestartUnderLoadWhileTheBrokerIsHealthy() throws Exception {
        AtomicReference<IngestTestApp> node = new AtomicReference<>(IngestTestApp.start(kafka, database));
        database.seedEmpresa("emp-load", "load-01", "segredo-load");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger unanswered = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        load.scheduleAtFixedRate(() -> {
            IngestTestApp target = node.get();
            if (target == null) {
                return;
            }
            http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port()
                                    + "/webhooks/evolution/emp-load"))
                            .header("Authorization", "Bearer segredo-load")
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"messages.upsert\","
                                    + "\"instance\":\"load-01\",\"data\":{\"key\":{\"remoteJid\":"
                                    + "\"5511988887777@s.whatsapp.net\",\"fromMe\":false,\"id\":\"" + UUID.randomUUID()
                                    + "\"},\"message\":{\"conversation\":\"Oi\"},\"messageTimestamp\":1761057639}}"))
                            .build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            // a connection refused while no node listens: Evolution retries it like a 503
                            unanswered.incrementAndGet();
                        } else {
                            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    });
        }, 0, 1_000_000 / PER_SECOND, TimeUnit.MICROSECONDS);
        try {
            Thread.sleep(5_000);
            IngestTestApp old = node.getAndSet(null);
            old.close();
            node.set(IngestTestApp.start(kafka, database));
            Thread.sleep(10_000);
        } finally {
            load.shutdown();
            load.awaitTermination(5, TimeUnit.SECONDS);
            Thread.sleep(3_000);
            IngestTestApp last = node.get();
            if (last != null) {
                last.close();
            }
        }

        assertThat(statuses.keySet()).as("statuses %s, unanswered %s", statuses, unanswered).containsOnly(200);
        assertThat(statuses.get(200).get()).isGreaterThan(PER_SECOND * 10);
    }
}
