package dev.chatcentral.processor;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.chatcentral.schemas.topic.TopicSpec;
import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * What the processor's integration tests share, as a JUnit extension: a real embedded broker, a throwaway
 * PostgreSQL database and the application on them with a state directory of its own, started before a test class
 * and stopped after it. Register it as {@code @RegisterExtension static final ProcessorTestStack stack = ...}; it
 * passes the application's helpers on.
 */
public final class ProcessorTestStack implements BeforeAllCallback, AfterAllCallback {

    private final String[] args;
    private TestKafka kafka;
    private TestDatabase database;
    private Path stateDir;
    private ProcessorTestApp app;

    private ProcessorTestStack(String[] args) {
        this.args = args;
    }

    /** @param args {@code --name=value} settings of the application, over {@link ProcessorTestApp}'s */
    public static ProcessorTestStack withArgs(String... args) {
        return new ProcessorTestStack(args);
    }

    public TestKafka kafka() {
        return kafka;
    }

    public TestDatabase database() {
        return database;
    }

    public ProcessorTestApp app() {
        return app;
    }

    public ConfigurableApplicationContext context() {
        return app.context();
    }

    /** @see ProcessorTestApp#management */
    public HttpResponse<String> management(String path, String jsonBody) {
        return app.management(path, jsonBody);
    }

    public <V> void send(TopicSpec<String, V> topic, String key, V value) {
        app.send(topic, key, value);
    }

    public void sendBytes(TopicSpec<String, ?> topic, String key, byte[] value) {
        app.sendBytes(topic, key, value);
    }

    public boolean groupCaughtUp(String groupId, TopicSpec<?, ?>... topics) {
        return app.groupCaughtUp(groupId, topics);
    }

    /** @see ProcessorTestApp#readAll */
    public List<ConsumerRecord<String, byte[]>> readAll(TopicSpec<String, ?> topic, int expected, Duration timeout) {
        return app.readAll(topic, expected, timeout);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        kafka = TestKafka.start();
        database = TestDatabase.create();
        stateDir = Files.createTempDirectory("chat-central-streams");
        app = ProcessorTestApp.start(kafka, database.jdbcUrl(), database.user(), stateDir, args);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            deleteStateDir();
        }
    }

    private void deleteStateDir() throws IOException {
        if (stateDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
