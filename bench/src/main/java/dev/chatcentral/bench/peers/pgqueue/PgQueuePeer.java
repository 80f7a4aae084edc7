package dev.chatcentral.bench.peers.pgqueue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Peer A of the benchmarks (issue 15): the architecture chat-central replaces, built faithfully and tuned, in one
 * process: a webhook receiver that acknowledges after an INSERT into a PostgreSQL queue, workers that claim it with
 * {@code FOR UPDATE SKIP LOCKED}, and a WebSocket relay fed by {@code LISTEN/NOTIFY}. Started by
 * bench/peers/pg-queue.sh; settings and their reasons in bench/peers/README.md.
 */
@SpringBootApplication(excludeName = {
        // the classpath is the bench module's: chat-central's migrations, Kafka and topics are not this peer's
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "dev.chatcentral.service.topic.TopicCatalogAutoConfiguration"})
@EnableWebSocket
public class PgQueuePeer implements WebSocketConfigurer {

    private final WebSocketRelay relay = new WebSocketRelay();

    public static void main(String[] args) {
        app().run(args);
    }

    /** The application with the peer's defaults; tests override them with properties of their own. */
    public static SpringApplication app() {
        SpringApplication app = new SpringApplication(PgQueuePeer.class);
        app.setDefaultProperties(Map.of(
                "spring.config.name", "pg-queue",
                "server.port", "${PEER_PORT:8095}",
                "spring.main.banner-mode", "off"));
        return app;
    }

    /** The pool the webhook receiver INSERTs through (and the relay reads large event bodies back from). */
    public record WebhookPool(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(relay, "/ws").setAllowedOriginPatterns("*");
    }

    @Bean
    PeerSettings peerSettings(Environment environment) {
        return PeerSettings.from(environment);
    }

    @Bean(destroyMethod = "close")
    WebhookPool webhookPool(PeerSettings settings) throws SQLException {
        Schema.prepare(settings.jdbcUrl(), settings.user());
        // the ack is this commit: by default synchronous_commit on, the WAL flushed before the 200 (README)
        return new WebhookPool(pool("peer-webhooks", settings, settings.webhookPoolSize(),
                "SET synchronous_commit = " + settings.webhookSynchronousCommit()));
    }

    @Bean
    WebhookSecrets webhookSecrets(WebhookPool webhookPool) throws SQLException {
        return new WebhookSecrets(webhookPool.dataSource());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource workerPool(PeerSettings settings, WebhookPool webhookPool) {
        // a worker's commit only makes its own work durable: lost in a crash, the rows are still queued and are
        // handled again (idempotently); the webhook's ack never depends on it
        return pool("peer-workers", settings, settings.workers() + 1, "SET synchronous_commit = off");
    }

    @Bean
    QueueWorkers queueWorkers(HikariDataSource workerPool, PeerSettings settings) {
        return new QueueWorkers(workerPool, settings);
    }

    @Bean
    PgListener pgListener(PeerSettings settings, WebhookPool webhookPool, QueueWorkers queueWorkers) {
        return new PgListener(settings, webhookPool.dataSource(), queueWorkers, relay);
    }

    private static HikariDataSource pool(String name, PeerSettings settings, int size, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionInitSql(initSql);
        // every statement here runs thousands of times: server-side prepared from its first use
        config.addDataSourceProperty("prepareThreshold", "1");
        return new HikariDataSource(config);
    }
}
