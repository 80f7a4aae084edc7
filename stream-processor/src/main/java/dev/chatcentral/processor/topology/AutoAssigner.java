package dev.chatcentral.processor.topology;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.Headers;

import dev.chatcentral.processor.assignment.AssignmentBook;
import dev.chatcentral.processor.command.CommandEvents;
import dev.chatcentral.processor.command.CommandHandler;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;

/**
 * Hands waiting conversas to atendentes after each input of the task, for every empresa the input may have let one
 * be assigned (docs/assignment.md): in the task, in the input's transaction, so each decision is made exactly once
 * and a conversa is never given to two atendentes. Each goes through {@link CommandHandler#assign}, the assign
 * command's own path, so it writes the records and events a manual assign writes, plus a
 * {@code conversation_transferred} from the queue ({@code from} and {@code by} null) that reaches the atendente on
 * their {@code atendente:} channel.
 */
final class AutoAssigner {

    private final AssignmentBook book;
    private final Conversas conversas;
    private final CommandHandler commands;
    private final Emitter emitter;
    /** Set while draining: the assignments' own emits do not start another drain. */
    private boolean draining;
    private boolean caughtUp;

    AutoAssigner(ConversaStores stores, Emitter emitter) {
        this.book = stores.assignment();
        this.conversas = stores.conversas();
        this.commands = new CommandHandler(stores.conversas(), stores.mensagens(), stores.atendentes(),
                stores.sends(), stores.seenCommands());
        this.emitter = emitter;
    }

    /**
     * Before the task's first effects are written: the book takes in the conversas the task held before it existed
     * ({@link AssignmentBook#catchUp}), as they were before any input of this run changed one.
     */
    void catchUp() {
        if (!caughtUp) {
            book.catchUp(conversas.store());
            caughtUp = true;
        }
    }

    /**
     * @param timestamp the time of the input that caused the drain, the assignments' time
     * @param cause     that input's headers
     */
    void drain(long timestamp, Headers cause) {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (List<String> empresas = book.takeMarked(); !empresas.isEmpty(); empresas = book.takeMarked()) {
                for (String empresaId : empresas) {
                    drain(empresaId, timestamp, cause);
                }
            }
        } finally {
            draining = false;
        }
    }

    /**
     * Punctuation: the conversas of atendentes offline past their empresa's grace go back to the queue (a
     * {@code conversation_transferred} from them to nobody, {@code by} null), then the queues drain.
     */
    void returnOffline(long nowMillis) {
        catchUp();
        Instant at = Instant.ofEpochMilli(nowMillis);
        for (AssignmentBook.Expired expired : book.expired(nowMillis)) {
            for (String conversaId : expired.conversaIds()) {
                Conversa held = conversas.byId(conversaId);
                if (held != null && held.status() != ConversaStatus.ENCERRADA
                        && expired.atendenteId().equals(held.atendenteId())) {
                    String causeId = DeterministicIds.assignmentCause(expired.empresaId(), conversaId, held.version());
                    emitter.emit(commands.returnToQueue(held, causeId, at), nowMillis, ConversaTask.NO_HEADERS);
                }
            }
        }
        drain(nowMillis, ConversaTask.NO_HEADERS);
    }

    private void drain(String empresaId, long timestamp, Headers cause) {
        Instant at = Instant.ofEpochMilli(timestamp);
        for (AssignmentBook.Decision decision = book.next(empresaId, conversas::byId); decision != null;
                decision = book.next(empresaId, conversas::byId)) {
            Conversa waiting = conversas.byId(decision.conversaId());
            String atendenteId = decision.atendenteId();
            String causeId = DeterministicIds.assignmentCause(empresaId, waiting.conversaId(), waiting.version());
            Effects assigned = commands.assign(waiting, atendenteId, causeId, at);
            Conversa next = assigned.conversas().get(0);
            emitter.emit(assigned.then(Effects.builder()
                    .event(CommandEvents.transferred(next, null, atendenteId, null, causeId, at))
                    .write(() -> book.handedTo(empresaId, atendenteId))
                    .build()), timestamp, cause);
        }
    }
}
