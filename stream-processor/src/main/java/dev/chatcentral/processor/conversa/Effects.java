package dev.chatcentral.processor.conversa;

import java.util.ArrayList;
import java.util.List;

import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * What a webhook, a command or a dispatch result produces, for the topology to forward: state changes for the record,
 * realtime events in the order browsers should see them, replies to dispatch, and the store writes that go with them.
 * The writes are made by the topology only once every output is known to fit its topic, so an input sent to the DLQ
 * instead leaves the state as it was.
 *
 * @param workOffQueue a conversa whose parked webhooks may now succeed (its mensagem arrived, a reply got its
 *                     WhatsApp id), or null
 * @param writes       the store changes, in order
 */
public record Effects(List<Conversa> conversas, List<Mensagem> mensagens, List<RealtimeEvent> events,
                      List<OutboundMessage> outbound, String workOffQueue, List<Runnable> writes) {

    /** A repeated command, or a result for a send that is no longer awaited. */
    public static final Effects NONE = new Effects(List.of(), List.of(), List.of(), List.of(), null, List.of());

    /** Makes the store writes. */
    public void write() {
        writes.forEach(Runnable::run);
    }

    /** These effects with one more store write after the others. */
    public Effects andWrite(Runnable write) {
        List<Runnable> more = new ArrayList<>(writes);
        more.add(write);
        return new Effects(conversas, mensagens, events, outbound, workOffQueue, List.copyOf(more));
    }

    /** These effects without the queue to work off: for a parked record, whose queue is being worked off already. */
    public Effects withoutWorkOff() {
        return workOffQueue == null ? this : new Effects(conversas, mensagens, events, outbound, null, writes);
    }

    /** These effects followed by {@code next}'s; the queue to work off is {@code next}'s when it names one. */
    public Effects then(Effects next) {
        return new Effects(concat(conversas, next.conversas), concat(mensagens, next.mensagens),
                concat(events, next.events), concat(outbound, next.outbound),
                next.workOffQueue != null ? next.workOffQueue : workOffQueue, concat(writes, next.writes));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        if (second.isEmpty()) {
            return first;
        }
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Conversa> conversas = new ArrayList<>();
        private final List<Mensagem> mensagens = new ArrayList<>();
        private final List<RealtimeEvent> events = new ArrayList<>();
        private final List<OutboundMessage> outbound = new ArrayList<>();
        private final List<Runnable> writes = new ArrayList<>();
        private String workOffQueue;

        public Builder conversa(Conversa conversa) {
            conversas.add(conversa);
            return this;
        }

        public Builder mensagem(Mensagem mensagem) {
            mensagens.add(mensagem);
            return this;
        }

        public Builder event(RealtimeEvent event) {
            events.add(event);
            return this;
        }

        public Builder outbound(OutboundMessage message) {
            outbound.add(message);
            return this;
        }

        public Builder workOff(String queueKey) {
            workOffQueue = queueKey;
            return this;
        }

        public Builder write(Runnable write) {
            writes.add(write);
            return this;
        }

        public Effects build() {
            return new Effects(List.copyOf(conversas), List.copyOf(mensagens), List.copyOf(events),
                    List.copyOf(outbound), workOffQueue, List.copyOf(writes));
        }
    }
}
