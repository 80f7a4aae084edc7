package dev.chatcentral.processor.topology;

import dev.chatcentral.processor.command.CommandRules;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.schemas.signal.Signal;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/**
 * Reads {@code chat.signals}, which the presence topology reads too: an atendente who logged in to the empresa is from
 * then on a valid target of transfers there, under the name the gateway gave.
 */
final class SignalProcessor extends AtendenteInputProcessor<Signal> {

    SignalProcessor(ConversaTasks tasks) {
        super(tasks, Topics.SIGNALS);
    }

    @Override
    Effects effects(String empresaId, Signal signal, long timestamp, long nowMillis, LogContext logContext) {
        if (signal == null || !Signal.SESSION_OPENED.equals(signal.type()) || !empresaId.equals(signal.empresaId())
                || !CommandRules.validUserId(signal.userId())) {
            return Effects.NONE;
        }
        String name = Texts.bounded(signal.name(), FieldLimits.NAME).value();
        return Effects.builder()
                .write(() -> task.stores().atendentes().sessionOpened(empresaId, signal.userId(), name))
                .build();
    }
}
