package dev.chatcentral.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.service.logging.LogContext;

/**
 * Sends the replies, reactions and deletions of {@code chat.outbound} to WhatsApp, at most once per command id, and
 * reports each on {@code chat.outbound.results}.
 *
 * <p>Per send: insert its {@code outbound_attempt} row (a row already there means an earlier delivery: its recorded
 * result is published again, or, if that delivery died during its call, UNCONFIRMED "outcome unknown" without
 * calling, unless a reply is found in Evolution), call Evolution, record the outcome in the row, publish the result;
 * the poll's offsets are committed after every send of the poll is done. A crash between the call and the record
 * loses that send's outcome: it becomes UNCONFIRMED instead of a second message on the customer's phone.
 *
 * <p>The topic is keyed by instance. The replies of one poll are split into one lane per instance: lanes run in
 * parallel, the replies of one lane in order, so one slow or dead WhatsApp number holds up the others only until
 * the end of the poll, and that wait is bounded (call timeout, retries, the circuit's wait budget, the pace).
 *
 * <p>The poll, its lanes and the commit are one sequence whose every step depends on how the one before it failed;
 * the check ({@link OutboundValidation}), the call and the lookup after an unanswered one ({@link ReplySender},
 * {@link SentLookup}), the record ({@link OutboundAttempts}), the circuit and pace ({@link InstanceGuards}) and the
 * report ({@link ResultPublisher}) are classes of their own.
 */
class OutboundDispatcher implements SmartLifecycle, DisposableBean {

    static final String LISTENER_ID = "outbound-dispatcher";

    private static final Logger log = LoggerFactory.getLogger(OutboundDispatcher.class);
    private static final int RECORD_ATTEMPTS = 5;
    private static final Duration RECORD_BACKOFF = Duration.ofMillis(500);

    private final OutboundAttempts attempts;
    private final InstanceOwners owners;
    private final ReplySender sender;
    private final ResultPublisher publisher;
    private final ExecutorService lanes;
    private final Duration circuitWait;
    private final MeterRegistry meters;
    private volatile boolean started;
    private volatile boolean stopping;

    OutboundDispatcher(OutboundAttempts attempts, InstanceOwners owners, ReplySender sender,
                       ResultPublisher publisher, DispatcherProperties properties, MeterRegistry meters) {
        this.attempts = attempts;
        this.owners = owners;
        this.sender = sender;
        this.publisher = publisher;
        // shared by every consumer thread: at most this many instances are called at the same time
        AtomicInteger count = new AtomicInteger();
        this.lanes = Executors.newFixedThreadPool(properties.maxParallelSends(), r -> {
            Thread thread = new Thread(r, "dispatch-lane-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.circuitWait = properties.circuit().maxWait();
        this.meters = meters;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, containerFactory = DispatcherConfiguration.CONTAINER_FACTORY,
            topics = "#{T(dev.chatcentral.schemas.topic.Topics).OUTBOUND.name()}")
    void onBatch(List<ConsumerRecord<String, OutboundMessage>> records, Consumer<?, ?> consumer,
                 Acknowledgment acknowledgment) {
        Map<String, List<ConsumerRecord<String, OutboundMessage>>> byInstance = new LinkedHashMap<>();
        for (ConsumerRecord<String, OutboundMessage> record : records) {
            String lane = record.value() != null && record.value().instance() != null
                    ? record.value().instance() : String.valueOf(record.key());
            byInstance.computeIfAbsent(lane, l -> new ArrayList<>()).add(record);
        }
        List<Future<?>> inFlight = new ArrayList<>();
        for (List<ConsumerRecord<String, OutboundMessage>> lane : byInstance.values()) {
            inFlight.add(lanes.submit(() -> runLane(lane)));
        }
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> lane : inFlight) {
            try {
                lane.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof DispatchInterruptedException) {
                    interrupted = true;
                } else if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted = true;
            }
        }
        if (failure != null) {
            // nothing of this poll is committed: the retry republishes what finished and sends the rest
            throw failure;
        }
        if (interrupted) {
            // stopping: leave the poll uncommitted and rewind, so whoever reads these partitions next sends the
            // replies not sent yet and republishes the others
            rewind(records, consumer);
            log.info("dispatcher stopping: {} replies of the last poll left to the next owner of their partitions",
                    records.size());
            return;
        }
        acknowledgment.acknowledge();
    }

    private static void rewind(List<ConsumerRecord<String, OutboundMessage>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> firsts = new HashMap<>();
        for (ConsumerRecord<String, OutboundMessage> record : records) {
            firsts.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        firsts.forEach(consumer::seek);
    }

    private void runLane(List<ConsumerRecord<String, OutboundMessage>> lane) {
        LaneBudget budget = new LaneBudget(circuitWait);
        for (ConsumerRecord<String, OutboundMessage> record : lane) {
            if (stopping) {
                throw new DispatchInterruptedException("dispatcher stopping: replies from "
                        + record.topic() + "-" + record.partition() + "@" + record.offset()
                        + " left uncommitted for the next owner");
            }
            dispatch(record, budget);
        }
    }

    private void dispatch(ConsumerRecord<String, OutboundMessage> record, LaneBudget budget) {
        OutboundMessage message = record.value();
        try (LogContext logContext = LogContext.ofRecord(message == null ? null : message.empresaId(),
                record.headers()).put(LogContext.COMMAND_ID, message == null ? null : message.commandId())) {
            dispatch(record, message, budget);
        }
    }

    private void dispatch(ConsumerRecord<String, OutboundMessage> record, OutboundMessage message, LaneBudget budget) {
        String problem = OutboundValidation.problem(message);
        if (problem != null) {
            log.warn("invalid send at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), problem);
            count(message == null || message.instance() == null ? "unknown" : message.instance(), Delivery.INVALID);
            if (OutboundValidation.answerable(message)) {
                publisher.publish(Delivery.failed(Delivery.INVALID, problem, 0).result(message));
            }
            return;
        }
        if (!owners.owns(message.empresaId(), message.instance())) {
            log.warn("reply {} of empresa {} names instance {}, which is not the empresa's: not sent",
                    message.commandId(), message.empresaId(), message.instance());
            count(message.instance(), Delivery.FOREIGN_INSTANCE);
            publisher.publish(Delivery.failed(Delivery.FOREIGN_INSTANCE, "instance " + message.instance()
                    + " is not one of this empresa's WhatsApp numbers any more", 0).result(message));
            return;
        }
        OutboundAttempts.Begin begin = attempts.begin(message);
        if (begin instanceof OutboundAttempts.Finished done) {
            log.info("command {} was already dispatched ({}); publishing its result again", message.commandId(),
                    done.delivery().status());
            Counter.builder("chatcentral.dispatcher.results.republished")
                    .description("Results published again for a command delivered twice, without a call")
                    .tag("instance", message.instance()).register(meters).increment();
            publisher.publish(done.delivery().result(message));
        } else if (begin instanceof OutboundAttempts.Unfinished unfinished) {
            log.warn("command {}: a call started at {} never recorded its outcome (the dispatcher died during it); "
                    + "not calling again", message.commandId(), unfinished.startedAt());
            Delivery settled = sender.settleUnknown(message, unfinished.startedAt());
            count(message.instance(), settled.outcome());
            publisher.publish(attempts.closeUnknown(message, settled).delivery().result(message));
        } else {
            send(message, budget);
        }
    }

    private void send(OutboundMessage message, LaneBudget budget) {
        long start = System.nanoTime();
        Delivery delivery = sender.send(message, budget);
        Timer.builder("chatcentral.dispatcher.send.duration")
                .description("From the first attempt to the outcome of a reply, retries and waits included")
                .tag("outcome", delivery.outcome())
                .publishPercentileHistogram()
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        count(message.instance(), delivery.outcome());
        if (delivery.sent()) {
            log.debug("command {} sent to {} as {}", message.commandId(), message.instance(), delivery.keyId());
        } else {
            log.warn("command {} to {}: {} ({}): {}", message.commandId(), message.instance(), delivery.status(),
                    delivery.reason(), delivery.error());
        }
        record(message, delivery);
        publisher.publish(delivery.result(message));
    }

    /**
     * Records the outcome, retrying a failing database a few times. If it still fails, the result is published all
     * the same (it is known) and the offset committed; only a redelivery would read the row, and none happens then.
     */
    private void record(OutboundMessage message, Delivery delivery) {
        for (int attempt = 1; ; attempt++) {
            try {
                attempts.finish(message, delivery);
                return;
            } catch (DataAccessException e) {
                if (attempt == RECORD_ATTEMPTS) {
                    log.error("cannot record the outcome of command {} in outbound_attempt; publishing it anyway",
                            message.commandId(), e);
                    return;
                }
                try {
                    Thread.sleep(RECORD_BACKOFF.toMillis() * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void count(String instance, String outcome) {
        Counter.builder("chatcentral.dispatcher.sends")
                .description("Replies, reactions and deletions to WhatsApp by instance and outcome")
                .tags("instance", instance, "outcome", outcome)
                .register(meters)
                .increment();
    }

    @Override
    public void start() {
        stopping = false;
        started = true;
    }

    /** Runs before the listener containers stop: lanes finish the call in hand and take no further reply. */
    @Override
    public void stop() {
        stopping = true;
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void destroy() {
        lanes.shutdownNow();
    }
}
