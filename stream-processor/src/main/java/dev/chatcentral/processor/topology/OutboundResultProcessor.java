package dev.chatcentral.processor.topology;

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

    OutboundResultProcessor(ConversaTasks tasks) {
        super(tasks, Topics.OUTBOUND_RESULTS);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        ConversaStores stores = task.stores();
        results = new OutboundResultHandler(stores.conversas(), stores.mensagens(), stores.sends(), stores.dedupe());
    }

    @Override
    Effects effects(String empresaId, OutboundResult result, long timestamp, long nowMillis, LogContext logContext) {
        return results.handle(empresaId, result, timestamp, nowMillis);
    }
}
