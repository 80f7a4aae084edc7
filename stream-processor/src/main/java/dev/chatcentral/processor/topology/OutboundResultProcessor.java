package dev.chatcentral.processor.topology;

import java.time.Duration;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import dev.chatcentral.processor.command.OutboundResultHandler;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.outbound.OutboundResult;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Reads {@code chat.outbound.results}: what the dispatcher reports about a reply, decided by
 * {@link OutboundResultHandler}; company mensagens parked while the reply awaited it are worked off after.
 */
final class OutboundResultProcessor extends AtendenteInputProcessor<OutboundResult> {

    private OutboundResultHandler results;
    /** Scheduled only while a reply waits for evidence: every punctuation makes the task commit. */
    private Cancellable settling;

    OutboundResultProcessor(ConversaTasks tasks) {
        super(tasks, Topics.OUTBOUND_RESULTS);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        ConversaStores stores = task.stores();
        results = new OutboundResultHandler(stores.conversas(), stores.mensagens(), stores.sends(), stores.dedupe(),
                task.settings().unconfirmedWindow());
        if (stores.sends().anyUnconfirmed()) {
            scheduleSettling();
        }
    }

    @Override
    Effects effects(String empresaId, OutboundResult result, long timestamp, long nowMillis, LogContext logContext) {
        Effects effects = results.handle(empresaId, result, timestamp, nowMillis);
        if (OutboundResult.UNCONFIRMED.equals(result.status()) && !effects.mensagens().isEmpty()) {
            scheduleSettling();
        }
        return effects;
    }

    private void scheduleSettling() {
        if (settling == null) {
            Duration every = Duration.ofMillis(Math.max(1000, task.settings().unconfirmedWindow().toMillis() / 10));
            settling = context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::settle);
        }
    }

    /** Punctuation: unconfirmed replies whose window passed without evidence become ERROR. */
    private void settle(long now) {
        task.emit(results.settleOverdue(now), now, ConversaTask.NO_HEADERS);
        if (!task.stores().sends().anyUnconfirmed()) {
            settling.cancel();
            settling = null;
        }
    }

    @Override
    public void close() {
        if (settling != null) {
            settling.cancel();
            settling = null;
        }
        super.close();
    }
}
