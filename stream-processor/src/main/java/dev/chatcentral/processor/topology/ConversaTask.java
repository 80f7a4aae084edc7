package dev.chatcentral.processor.topology;

import java.time.Duration;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.retry.ParkedRecord;
import dev.chatcentral.processor.sla.SlaClocks;

/**
 * What the processors of one task of the conversa topology share: its stores, the DLQ, the parked webhooks and their
 * retries, the one emitter of effects, and the mensagem webhooks that parked records are attempted with. One task
 * processes one record at a time, so none of it needs a lock.
 */
final class ConversaTask {

    /** How often atendentes offline past their empresa's grace are looked for: the grace's resolution. */
    static final Duration OFFLINE_CHECK_INTERVAL = Duration.ofSeconds(5);

    /** How often SLA warnings and breaches are looked for: their resolution. */
    static final Duration SLA_CHECK_INTERVAL = Duration.ofSeconds(1);

    /** A punctuation's outputs have no input whose headers they could carry. */
    static final Headers NO_HEADERS = new RecordHeaders();

    private final ProcessorContext<String, byte[]> context;
    private final TopologySettings settings;
    private final ConversaStores stores;
    private final DeadLetterRoute deadLetters;
    private final Emitter emitter;
    private final AutoAssigner assigner;
    private final Parking parking;
    private final MensagemWebhooks mensagens;
    private final Cancellable purge;
    private final Cancellable offline;
    /** Looks for due SLA clocks while the task has some (see {@link SlaClocks#firingAdded}); null otherwise. */
    private Cancellable sla;
    /** Processors started and not closed yet. */
    private int processors;

    ConversaTask(ProcessorContext<String, byte[]> context, TopologySettings settings) {
        this.context = context;
        this.settings = settings;
        this.stores = ConversaStores.of(context, settings);
        this.deadLetters = new DeadLetterRoute(context, settings, stores.dedupe());
        this.emitter = new Emitter(context);
        this.assigner = new AutoAssigner(stores, emitter);
        this.parking = new Parking(context, settings, stores.parking(), deadLetters, this::attempt);
        this.mensagens = new MensagemWebhooks(context, stores, settings.retry(), parking, deadLetters);
        this.purge = context.schedule(settings.dedupePurgeInterval(), PunctuationType.WALL_CLOCK_TIME,
                stores::purge);
        this.offline = context.schedule(OFFLINE_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME,
                assigner::returnOffline);
        // clocks restored from the changelog keep their firings: the first punctuation looks, and stops if none
        scheduleSla();
    }

    private void scheduleSla() {
        sla = context.schedule(SLA_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::fireSla);
    }

    /** Punctuation: the SLA warnings and breaches due; stops looking once no clock has any to come. */
    private void fireSla(long now) {
        emitter.emit(stores.sla().due(now), now, NO_HEADERS);
        stores.sla().firingAdded();
        if (!stores.sla().anyFiring()) {
            sla.cancel();
            sla = null;
        }
    }

    TopologySettings settings() {
        return settings;
    }

    ConversaStores stores() {
        return stores;
    }

    DeadLetterRoute deadLetters() {
        return deadLetters;
    }

    Parking parking() {
        return parking;
    }

    MensagemWebhooks mensagens() {
        return mensagens;
    }

    /**
     * Emits effects, then works off the queue they name: parked webhooks of that conversa that may now succeed; then
     * hands out the waiting conversas the changes let be assigned.
     *
     * @param timestamp the time of the input that caused them
     * @param cause     that input's headers
     */
    void emit(Effects effects, long timestamp, Headers cause) {
        assigner.catchUp();
        emitter.emit(effects, timestamp, cause);
        String queueKey = effects.workOffQueue();
        if (queueKey != null && parking.hasQueue(queueKey)) {
            parking.workOff(queueKey);
        }
        assigner.drain(timestamp, cause);
        if (stores.sla().firingAdded() && sla == null) {
            scheduleSla();
        }
    }

    /**
     * One attempt at a parked webhook, its effects emitted with its own time and headers.
     *
     * @throws dev.chatcentral.processor.retry.RetryLaterException when it still cannot be processed
     */
    WebhookOutcome attempt(ParkedRecord parked) {
        Handled handled = mensagens.attempt(parked);
        emit(handled.effects(), parked.timestamp(), parked.originalHeaders());
        return handled.outcome();
    }

    boolean runsIn(ProcessorContext<String, byte[]> context) {
        return this.context == context;
    }

    void joined() {
        processors++;
    }

    /** @return true when the last processor left: the task is closed, its punctuators cancelled */
    boolean left() {
        if (--processors > 0) {
            return false;
        }
        purge.cancel();
        offline.cancel();
        if (sla != null) {
            sla.cancel();
        }
        parking.cancel();
        return true;
    }
}
