package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.schemas.topic.EmpresaPartition;
import dev.chatcentral.schemas.topic.TopicSpec;

/**
 * The latest value of each empresa asked about, from a compacted topic keyed by empresaId: a partition is read from its
 * beginning the first time one of its empresas is asked for, and kept live from then on (at most the topic's
 * partitions, each about one record per empresa once compacted). {@link #current} answers only once the partition is
 * read up to the end it had when asked (read_committed), so a value any writer had committed before the call is in
 * the answer. Log order is the truth: a later record replaces the one before, a tombstone forgets the empresa, and a
 * record keyed by another empresa than its value's, or one the reader finds incomplete, is skipped with a log line.
 *
 * @param <V> the value, which names its empresa
 */
public final class LatestPerEmpresa<V> {

    private static final Logger log = LoggerFactory.getLogger(LatestPerEmpresa.class);

    private final AssignedReader<String, V> reader;
    private final int partitions;
    private final Duration timeout;
    private final Function<V, String> empresaOf;
    private final Predicate<V> complete;
    private final Map<String, V> latest = new ConcurrentHashMap<>();

    /**
     * @param partitions the topic's partitions, as the catalog checked against the brokers at startup
     * @param timeout    how long {@link #current} may wait for the partition to be read
     * @param empresaOf  the empresa a value belongs to, which must be its record's key
     * @param complete   whether a value holds what readers need; one that does not is skipped
     */
    public LatestPerEmpresa(TopicSpec<String, V> topic, int partitions, Map<String, Object> consumerProperties,
                            String clientId, String threadName, Duration pollTimeout, Duration timeout,
                            Function<V, String> empresaOf, Predicate<V> complete) {
        this.partitions = partitions;
        this.timeout = timeout;
        this.empresaOf = empresaOf;
        this.complete = complete;
        this.reader = new AssignedReader<>(CommittedTopic.of(topic.name(), topic.keySerde(), topic.valueSerde(),
                consumerProperties, clientId), AssignedReader.Start.BEGINNING, pollTimeout, timeout, threadName,
                batch -> batch.records().forEach(this::apply));
    }

    /**
     * The empresa's latest value as of now, {@code absent}'s when none was written; completes exceptionally after
     * the timeout when the topic cannot be read.
     */
    public CompletableFuture<V> current(String empresaId, Function<String, V> absent) {
        return reader.readToEnd(Set.of(EmpresaPartition.of(empresaId, partitions)))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(read -> {
                    V value = latest.get(empresaId);
                    return value != null ? value : absent.apply(empresaId);
                });
    }

    public void start() {
        reader.start();
    }

    public void stop() {
        reader.stop();
    }

    public boolean isRunning() {
        return reader.isRunning();
    }

    private void apply(ConsumerRecord<String, V> record) {
        V value = record.value();
        if (record.key() == null) {
            log.warn("skipping a record without key at {}-{} offset {}", record.topic(), record.partition(),
                    record.offset());
        } else if (value == null) {
            latest.remove(record.key());
        } else if (!record.key().equals(empresaOf.apply(value)) || !complete.test(value)) {
            log.warn("skipping the record at {}-{} offset {}: keyed by empresa {} but of empresa {}, or incomplete",
                    record.topic(), record.partition(), record.offset(), record.key(), empresaOf.apply(value));
        } else {
            latest.put(record.key(), value);
        }
    }
}
