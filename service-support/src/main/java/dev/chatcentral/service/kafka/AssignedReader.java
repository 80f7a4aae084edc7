package dev.chatcentral.service.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps reading the partitions of one {@link CommittedTopic} that its owner asks for, on a thread of its own, and
 * hands every poll's records to a {@link Handler}. A partition is read from the reader's {@link Start} once
 * {@link #assign}ed, until {@link #release}d. {@link #readToEnd} waits until the reader has read what a partition
 * held when asked.
 *
 * <p>{@link KafkaConsumer} is single-threaded, so requests travel to the reader's thread through a queue, with
 * {@link KafkaConsumer#wakeup()} to interrupt a poll in progress; they are applied in the order they were made. A
 * failed read is retried after {@link #ERROR_BACKOFF}; a record that cannot be deserialized is skipped.
 */
public final class AssignedReader<K, V> {

    /** Where a newly assigned partition is read from. */
    public enum Start { BEGINNING, END }

    /** Called on the reader's thread after every poll, with its records (none when the poll found nothing). */
    @FunctionalInterface
    public interface Handler<K, V> {
        void handle(Batch<K, V> batch);
    }

    /** One poll's records, and where the reader stands; valid only during {@link Handler#handle}. */
    public interface Batch<K, V> {
        ConsumerRecords<K, V> records();

        /** The partitions read now. */
        Set<Integer> partitions();

        /** The offset read next in {@code partition}; also past records never handed over (markers, aborted). */
        long position(int partition);
    }

    private static final Logger log = LoggerFactory.getLogger(AssignedReader.class);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final CommittedTopic<K, V> topic;
    private final Start start;
    private final Duration pollTimeout;
    private final Duration requestTimeout;
    private final String threadName;
    private final Handler<K, V> handler;
    private final BlockingQueue<ReaderRequest> requests = new LinkedBlockingQueue<>();

    private volatile KafkaConsumer<K, V> consumer;
    private volatile Set<Integer> assigned = Set.of();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param pollTimeout    how long one poll waits for records, and an idle reader for its first partition
     * @param requestTimeout bounds each lookup of a position or an end offset
     */
    public AssignedReader(CommittedTopic<K, V> topic, Start start, Duration pollTimeout, Duration requestTimeout,
                          String threadName, Handler<K, V> handler) {
        this.topic = topic;
        this.start = start;
        this.pollTimeout = pollTimeout;
        this.requestTimeout = requestTimeout;
        this.threadName = threadName;
        this.handler = handler;
    }

    /**
     * Reads {@code partition} from now on. Completes with the offset the reader reads it from, once known: anything
     * written from then on will be handed over. Completes exceptionally when the position cannot be looked up; the
     * partition is read all the same, and asking again looks it up again.
     */
    public CompletableFuture<Long> assign(int partition) {
        CompletableFuture<Long> positioned = new CompletableFuture<>();
        submit(new ReaderRequest.Assign(partition, positioned));
        return positioned;
    }

    /** Stops reading {@code partition}; a {@link #readToEnd} still waiting on it fails. */
    public void release(int partition) {
        submit(new ReaderRequest.Release(partition));
    }

    /**
     * Completes once the reader has read {@code partitions} (assigning those it does not read yet) up to the end
     * they have when the reader takes the request: read_committed, the last committed transaction.
     */
    public CompletableFuture<Void> readToEnd(Collection<Integer> partitions) {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        submit(new ReaderRequest.CatchUp(Set.copyOf(partitions), caughtUp));
        return caughtUp;
    }

    /** The partitions read right now. */
    public Set<Integer> assigned() {
        return assigned;
    }

    private void submit(ReaderRequest request) {
        requests.add(request);
        KafkaConsumer<K, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        consumer = topic.open(start == Start.BEGINNING ? "earliest" : "latest");
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
        log.info("reading {} by manual assignment, read_committed, from the {} of each partition", topic.name(),
                start == Start.BEGINNING ? "beginning" : "end");
    }

    /** Stops reading and fails what still waits; requests made after it wait for the next {@link #start}. */
    public synchronized void stop() {
        running = false;
        KafkaConsumer<K, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        KafkaConsumer<K, V> kafka = consumer;
        // taken from the queue but not applied yet, kept across a wakeup or a failure
        List<ReaderRequest> taken = new ArrayList<>();
        CatchUps waiters = new CatchUps();
        try (kafka) {
            while (running) {
                try {
                    if (assigned.isEmpty() && taken.isEmpty()) {
                        // poll() refuses to run without partitions; wait for the first request instead
                        ReaderRequest first = requests.poll(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        if (first != null) {
                            taken.add(first);
                        }
                    }
                    requests.drainTo(taken);
                    apply(kafka, taken, waiters);
                    if (!assigned.isEmpty()) {
                        PolledBatch<K, V> batch = new PolledBatch<>(topic, kafka, assigned,
                                topic.poll(kafka, pollTimeout), requestTimeout);
                        hand(batch);
                        waiters.release(partition -> batch.position(partition.partition()));
                    }
                } catch (WakeupException e) {
                    // a request is waiting, or the reader is stopping: the loop handles both
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                } catch (KafkaException e) {
                    log.error("reading {} failed, retrying in {}", topic.name(), ERROR_BACKOFF, e);
                    pause();
                }
            }
        } finally {
            IllegalStateException stopped = new IllegalStateException(topic.name() + " reader stopped");
            taken.forEach(request -> request.fail(stopped));
            waiters.failAll(stopped);
            List<ReaderRequest> queued = new ArrayList<>();
            requests.drainTo(queued);
            queued.forEach(request -> request.fail(stopped));
            assigned = Set.of();
            consumer = null;
            log.info("stopped reading {}", topic.name());
        }
    }

    /** A wakeup or a failed lookup of a position is the loop's to handle; any other failure loses the batch. */
    private void hand(Batch<K, V> batch) {
        try {
            handler.handle(batch);
        } catch (RuntimeException e) {
            if (e instanceof KafkaException) {
                throw e;
            }
            log.error("handling {} records of {} failed", batch.records().count(), topic.name(), e);
        }
    }

    /** Applies the requests in order; one that fails stays first in {@code taken}, to be tried again. */
    private void apply(KafkaConsumer<K, V> kafka, List<ReaderRequest> taken, CatchUps waiters) {
        for (Iterator<ReaderRequest> it = taken.iterator(); it.hasNext(); ) {
            ReaderRequest request = it.next();
            if (request instanceof ReaderRequest.Assign assign) {
                readFrom(kafka, Set.of(assign.partition()));
                it.remove();
                position(kafka, assign);
            } else if (request instanceof ReaderRequest.Release release) {
                it.remove();
                if (assigned.contains(release.partition())) {
                    Set<Integer> rest = new TreeSet<>(assigned);
                    rest.remove(release.partition());
                    reassign(kafka, rest);
                    waiters.released(topic.partition(release.partition()));
                    log.info("released {}", topic.partition(release.partition()));
                }
            } else if (request instanceof ReaderRequest.CatchUp catchUp) {
                readFrom(kafka, catchUp.partitions());
                List<TopicPartition> partitions = catchUp.partitions().stream().map(topic::partition).toList();
                // read_committed: the end is the last stable offset, so everything committed before now lies below it
                Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, requestTimeout);
                it.remove();
                waiters.add(ends, catchUp.caughtUp());
            }
        }
        waiters.release(partition -> kafka.position(partition, requestTimeout));
    }

    /** Assigns those of {@code partitions} not read yet, from the reader's start. */
    private void readFrom(KafkaConsumer<K, V> kafka, Set<Integer> partitions) {
        Set<Integer> wanted = new TreeSet<>(assigned);
        wanted.addAll(partitions);
        if (wanted.size() == assigned.size()) {
            return;
        }
        List<TopicPartition> added = partitions.stream().filter(p -> !assigned.contains(p)).map(topic::partition)
                .toList();
        reassign(kafka, wanted);
        switch (start) {
            case BEGINNING -> kafka.seekToBeginning(added);
            case END -> kafka.seekToEnd(added);
        }
    }

    /** Looks the position up: seeks are lazy, and the lookup is what pins "from here on" before anyone is told. */
    private void position(KafkaConsumer<K, V> kafka, ReaderRequest.Assign assign) {
        TopicPartition partition = topic.partition(assign.partition());
        while (true) {
            try {
                long position = kafka.position(partition, requestTimeout);
                log.info("reading {} from offset {}", partition, position);
                assign.positioned().complete(position);
                return;
            } catch (WakeupException e) {
                // the wakeup was meant for poll(); the request behind it is still in the queue
                if (!running) {
                    assign.positioned().completeExceptionally(new IllegalStateException("stopping", e));
                    return;
                }
            } catch (KafkaException e) {
                log.warn("cannot position {}: {}", partition, e.getMessage());
                assign.positioned().completeExceptionally(e);
                return;
            }
        }
    }

    private void reassign(KafkaConsumer<K, V> kafka, Set<Integer> partitions) {
        kafka.assign(partitions.stream().map(topic::partition).toList());
        assigned = Set.copyOf(partitions);
    }

    private void pause() {
        try {
            Thread.sleep(ERROR_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
