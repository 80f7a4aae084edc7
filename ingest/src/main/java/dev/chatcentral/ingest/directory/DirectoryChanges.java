package dev.chatcentral.ingest.directory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Makes a change of an empresa's directory (its instances, its webhook secrets) and announces it: the change and a
 * new version in one PostgreSQL transaction, then the empresa as it now stands to {@code chat.empresas}, which every
 * ingest node reads, and to this node's directory at once.
 */
@Component
public class DirectoryChanges implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DirectoryChanges.class);
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(5);

    private final DirectoryRows rows;
    private final EmpresaDirectory directory;
    private final TransactionTemplate transaction;
    private final KafkaProducer<String, EmpresaDirectoryEntry> producer;

    public DirectoryChanges(DirectoryRows rows, EmpresaDirectory directory, TransactionTemplate transaction,
                            KafkaProperties kafka) {
        this.rows = rows;
        this.directory = directory;
        this.transaction = transaction;
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-directory-changes");
        this.producer = new KafkaProducer<>(config, Topics.EMPRESAS.keySerde().serializer(),
                Topics.EMPRESAS.valueSerde().serializer());
    }

    /**
     * What a change did, and whether every node was told of it. A change that is saved but not announced (the
     * broker away) still reaches every node: at its next miss of the empresa, or its next full reload.
     */
    public record Change<T>(T result, boolean announced) {
    }

    /** Runs {@code change} and the version bump in one transaction, then announces the empresa. */
    public <T> Change<T> change(String empresaId, Supplier<T> change) {
        T result = transaction.execute(status -> {
            T done = change.get();
            rows.bumpVersion(empresaId);
            return done;
        });
        return new Change<>(result, announce(empresaId));
    }

    private boolean announce(String empresaId) {
        EmpresaDirectoryEntry entry = rows.one(empresaId).orElse(null);
        if (entry == null) {
            return true;
        }
        directory.apply(entry);
        try {
            producer.send(new ProducerRecord<>(Topics.EMPRESAS.name(), empresaId, entry))
                    .get(ANNOUNCE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the change of empresa {} is saved but not announced on {}: {}; the other nodes learn it at "
                    + "their next miss or full reload", empresaId, Topics.EMPRESAS.name(), e.getMessage());
            return false;
        }
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
