package dev.chatcentral.processor;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the stream processor.
 *
 * @param applicationId       Kafka Streams application.id: consumer group, transactional ids and internal topic
 *                            prefix; every instance of one deployment shares it
 * @param stateDir            where the local state stores live; unique per instance on one machine
 * @param numStreamThreads    stream threads of this instance (tasks are spread over them)
 * @param commitInterval      how often a transaction commits; events reach browsers only after it
 * @param dedupeWindow        how long a WhatsApp message id is remembered to drop redeliveries
 * @param dedupePurgeInterval how often ids older than the window are forgotten
 * @param sink                the PostgreSQL sink
 */
@ConfigurationProperties("chatcentral.processor")
public record ProcessorProperties(
        @DefaultValue("chat-central-stream-processor") String applicationId,
        Path stateDir,
        @DefaultValue("2") int numStreamThreads,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("7d") Duration dedupeWindow,
        @DefaultValue("10m") Duration dedupePurgeInterval,
        @DefaultValue Sink sink) {

    public ProcessorProperties {
        if (stateDir == null) {
            stateDir = Path.of(System.getProperty("java.io.tmpdir"), "chat-central", "streams");
        }
    }

    /**
     * @param groupId         consumer group of the sink
     * @param concurrency     consumers of the sink in this instance
     * @param initialBackoff  first wait before retrying a batch PostgreSQL refused
     * @param maxBackoff      longest wait between retries; retries never stop, so nothing is skipped
     */
    public record Sink(
            @DefaultValue("chat-central-postgres-sink") String groupId,
            @DefaultValue("1") int concurrency,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff) {
    }
}
