package dev.chatcentral.ingest.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Reads {@code chat.empresas} from its beginning and keeps reading, on a thread of its own, handing every entry to
 * the directory. A caller that missed an empresa can ask it to catch up: it then reads up to the end the topic has
 * at that moment, so a change another node announced just before is known when the wait returns.
 */
final class DirectoryStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectoryStream.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final KafkaConsumer<String, EmpresaDirectoryEntry> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Consumer<EmpresaDirectoryEntry> sink;
    private final Queue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    /** Requests waiting for the consumer to reach the end offsets read when they were taken up. */
    private final List<CatchUp> catchingUp = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private record CatchUp(Map<TopicPartition, Long> ends, List<CompletableFuture<Void>> waiting) {
    }

    DirectoryStream(KafkaProperties kafka, Consumer<EmpresaDirectoryEntry> sink) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-directory");
        this.consumer = new KafkaConsumer<>(config, Topics.EMPRESAS.keySerde().deserializer(),
                Topics.EMPRESAS.valueSerde().deserializer());
        for (int p = 0; p < Topics.EMPRESAS.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.EMPRESAS.name(), p));
        }
        this.sink = sink;
        this.thread = new Thread(this::run, "ingest-directory");
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    /**
     * Waits until every entry published before this call has been read, or the timeout passed.
     *
     * @return whether it caught up in time
     */
    boolean awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        catchUpRequests.add(caughtUp);
        consumer.wakeup();
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void run() {
        while (running) {
            try {
                for (ConsumerRecord<String, EmpresaDirectoryEntry> record : consumer.poll(POLL)) {
                    if (record.value() != null) {
                        sink.accept(record.value());
                    }
                }
            } catch (WakeupException e) {
                // a caller asked to catch up, or the stream is closing: both are handled below
            } catch (RecordDeserializationException e) {
                log.warn("skipping an unreadable entry of {} at {}: {}", Topics.EMPRESAS.name(), e.offset(),
                        e.getMessage());
                consumer.seek(e.topicPartition(), e.offset() + 1);
            } catch (KafkaException e) {
                log.warn("cannot read {}; retrying: {}", Topics.EMPRESAS.name(), e.getMessage());
                pause();
            }
            if (running) {
                serveCatchUps();
            }
        }
        consumer.close(Duration.ZERO);
    }

    private void serveCatchUps() {
        List<CompletableFuture<Void>> taken = new ArrayList<>();
        CompletableFuture<Void> request;
        while ((request = catchUpRequests.poll()) != null) {
            taken.add(request);
        }
        try {
            if (!taken.isEmpty()) {
                catchingUp.add(new CatchUp(consumer.endOffsets(partitions, POLL), taken));
            }
            catchingUp.removeIf(catchUp -> {
                boolean reached = catchUp.ends().entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey(), POLL) >= end.getValue());
                if (reached) {
                    catchUp.waiting().forEach(waiting -> waiting.complete(null));
                }
                return reached;
            });
        } catch (WakeupException e) {
            // another caller's wakeup: served on the next round
        } catch (KafkaException e) {
            // the callers' waits time out; the next round tries again
            catchUpRequests.addAll(taken);
        }
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
