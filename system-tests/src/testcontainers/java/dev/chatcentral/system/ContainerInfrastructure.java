package dev.chatcentral.system;

import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * The system tests' broker and database in containers (-Ptestcontainers): a broker of the {@code apache/kafka} image
 * the deployment runs (docker-compose.yml) for each test class, as the embedded one is, and one {@code postgres}
 * container for the whole run, in which each test class gets a throwaway database, as on the machine's PostgreSQL.
 * Chosen by {@code chatcentral.test.infrastructure=testcontainers}, which -Ptestcontainers sets.
 */
public final class ContainerInfrastructure implements TestInfrastructure {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    static final String POSTGRES_IMAGE = "postgres:17";

    private PostgreSQLContainer postgres;

    @Override
    public TestKafka startKafka() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE)
                // exactly-once on a single broker, as TestKafka configures the embedded one
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        kafka.start();
        return TestKafka.external(kafka.getBootstrapServers(), kafka::stop);
    }

    @Override
    public synchronized TestDatabase createDatabase() {
        if (postgres == null) {
            PostgreSQLContainer started = new PostgreSQLContainer(POSTGRES_IMAGE);
            started.start();
            // Testcontainers' reaper removes it when the test JVM exits
            postgres = started;
        }
        return TestDatabase.createOn("jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/", postgres.getUsername(),
                postgres.getPassword());
    }

    @Override
    public Optional<String> unavailable() {
        return DockerClientFactory.instance().isDockerAvailable()
                ? Optional.empty()
                : Optional.of("no Docker engine answers: -Ptestcontainers runs the system tests' broker and database"
                        + " in containers (" + KAFKA_IMAGE + ", " + POSTGRES_IMAGE + ")");
    }
}
