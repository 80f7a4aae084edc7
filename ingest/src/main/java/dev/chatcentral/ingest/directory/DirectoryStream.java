package dev.chatcentral.ingest.directory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry;
import dev.chatcentral.schemas.topic.TopicCatalog;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.kafka.AssignedReader;
import dev.chatcentral.service.kafka.CommittedTopic;

/**
 * Reads {@code chat.empresas} from its beginning and keeps reading, on a thread of its own (an
 * {@link AssignedReader} of every partition), handing every entry to the directory. A caller that missed an empresa
 * can ask it to catch up: it then reads up to the end the topic has at that moment, so a change another node
 * announced just before is known when the wait returns.
 */
final class DirectoryStream implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final AssignedReader<String, EmpresaDirectoryEntry> reader;
    private final List<Integer> partitions;

    DirectoryStream(KafkaProperties kafka, TopicCatalog catalog, Consumer<EmpresaDirectoryEntry> sink) {
        this.partitions = IntStream.range(0, catalog.partitions(Topics.EMPRESAS)).boxed().toList();
        CommittedTopic<String, EmpresaDirectoryEntry> empresas = CommittedTopic.of(Topics.EMPRESAS.name(),
                Topics.EMPRESAS.keySerde(), Topics.EMPRESAS.valueSerde(), kafka.buildConsumerProperties(),
                "ingest-directory");
        this.reader = new AssignedReader<>(empresas, AssignedReader.Start.BEGINNING, POLL, POLL, "ingest-directory",
                batch -> batch.records().forEach(record -> {
                    if (record.value() != null) {
                        sink.accept(record.value());
                    }
                }));
    }

    void start() {
        reader.start();
        partitions.forEach(reader::assign);
    }

    /**
     * Waits until every entry published before this call has been read, or the timeout passed.
     *
     * @return whether it caught up in time
     */
    boolean awaitCaughtUp(Duration timeout) {
        try {
            reader.readToEnd(partitions).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        reader.stop();
    }
}
