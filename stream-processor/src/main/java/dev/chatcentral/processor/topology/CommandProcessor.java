package dev.chatcentral.processor.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;

import dev.chatcentral.processor.command.CommandHandler;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.topic.Topics;
import dev.chatcentral.service.logging.LogContext;

/** Reads {@code chat.commands}: an atendente's command, decided by {@link CommandHandler}. */
final class CommandProcessor extends AtendenteInputProcessor<AgentCommand> {

    private CommandHandler commands;

    CommandProcessor(ConversaTasks tasks) {
        super(tasks, Topics.COMMANDS);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        ConversaStores stores = task.stores();
        commands = new CommandHandler(stores.conversas(), stores.mensagens(), stores.atendentes(), stores.sends(),
                stores.seenCommands());
    }

    @Override
    Effects effects(String empresaId, AgentCommand command, long timestamp, long nowMillis, LogContext logContext) {
        logContext.put(LogContext.COMMAND_ID, command == null ? null : command.commandId());
        return commands.handle(empresaId, command, timestamp, nowMillis);
    }
}
