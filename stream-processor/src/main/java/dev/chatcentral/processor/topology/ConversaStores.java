package dev.chatcentral.processor.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.assignment.AssignmentBook;
import dev.chatcentral.processor.command.KnownAtendentes;
import dev.chatcentral.processor.command.PendingSends;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.JidAliases;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.processor.dedupe.DedupeWindow;
import dev.chatcentral.processor.retry.ParkingLot;
import dev.chatcentral.processor.sla.SlaClocks;
import dev.chatcentral.processor.typing.CustomerTyping;
import dev.chatcentral.schemas.conversa.Conversa;

/**
 * The conversa topology's state stores of one task, as the domain reads and writes them.
 *
 * @param dedupe       webhooks seen (mensagens and receipts), and the WhatsApp keys of replies already sent
 * @param seenCommands atendentes' commands seen
 * @param assignment   automatic assignment's settings, presence, loads and queues, told of every conversa change
 * @param sla          the conversas' SLA clocks, told of every conversa change and every mensagem written
 */
record ConversaStores(Conversas conversas, DedupeWindow dedupe, DedupeWindow seenCommands, MensagemIndex mensagens,
                      JidAliases aliases, PendingSends sends, KnownAtendentes atendentes, ParkingLot parking,
                      CustomerTyping customerTyping, AssignmentBook assignment, SlaClocks sla) {

    private static final Logger log = LoggerFactory.getLogger(ConversaStores.class);

    static ConversaStores of(ProcessorContext<?, ?> context, TopologySettings settings) {
        AssignmentBook assignment = new AssignmentBook(
                context.getStateStore(ConversaTopology.ASSIGNMENT_SETTINGS_STORE),
                context.getStateStore(ConversaTopology.ASSIGNMENT_ONLINE_STORE),
                context.getStateStore(ConversaTopology.ASSIGNMENT_QUEUE_STORE),
                context.getStateStore(ConversaTopology.ASSIGNMENT_LOAD_STORE));
        KeyValueStore<String, Conversa> conversaStore = context.getStateStore(ConversaTopology.CONVERSA_STORE);
        SlaClocks sla = new SlaClocks(context.getStateStore(ConversaTopology.SLA_CLOCK_STORE),
                context.getStateStore(ConversaTopology.SLA_FIRING_STORE), conversaStore, assignment::settings);
        Conversas conversas = new Conversas(conversaStore, context.getStateStore(ConversaTopology.CONVERSA_ID_STORE),
                (before, after) -> {
                    assignment.changed(before, after);
                    sla.changed(before, after);
                });
        return new ConversaStores(conversas,
                new DedupeWindow(context.getStateStore(ConversaTopology.DEDUPE_STORE), settings.dedupeWindow()),
                new DedupeWindow(context.getStateStore(ConversaTopology.COMMAND_DEDUPE_STORE),
                        settings.commandDedupeWindow()),
                new MensagemIndex(context.getStateStore(ConversaTopology.MENSAGEM_INDEX_STORE),
                        context.getStateStore(ConversaTopology.REPLY_KEY_STORE), settings.mensagemIndexRetention(), sla),
                new JidAliases(context.getStateStore(ConversaTopology.JID_ALIAS_STORE), conversas.store()),
                new PendingSends(context.getStateStore(ConversaTopology.PENDING_SEND_STORE),
                        settings.mensagemIndexRetention()),
                new KnownAtendentes(context.getStateStore(ConversaTopology.ATENDENTE_STORE)),
                new ParkingLot(context.getStateStore(ConversaTopology.PARKING_STORE)),
                new CustomerTyping(context.getStateStore(ConversaTopology.CUSTOMER_TYPING_STORE)), assignment, sla);
    }

    /** Punctuation: forgets the dedupe ids, indexed mensagens and replies past their retention. */
    void purge(long nowMillis) {
        int ids = dedupe.purge(nowMillis) + seenCommands.purge(nowMillis);
        int indexed = mensagens.purge(nowMillis) + sends.purge(nowMillis);
        if (ids + indexed > 0) {
            log.debug("forgot {} dedupe ids and {} indexed mensagens and replies past their retention", ids, indexed);
        }
    }
}
