package dev.chatcentral.analytics.topology;

import java.time.Instant;
import java.util.List;

/**
 * What one conversa's change means for its empresa's figures, sent from the conversa-keyed tracker to the
 * empresa-keyed aggregation (through the application's repartition topic, key = empresaId).
 *
 * @param view   where the conversa stands now, replacing what the empresa side knew of it
 * @param events what happened, each at its own event time
 */
public record Fact(String empresaId, String conversaId, View view, List<Event> events) {

    public Fact {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /**
     * @param waitingSince  since when it waits for an atendente ({@code aguardando}), or null
     * @param assignDue     the start of the episode whose first assignment is pending, or null once assigned
     * @param responseDue   the customer's first mensagem still without a reply, or null
     * @param atendenteId   who serves it now ({@code em_atendimento}), or null
     * @param awaitingSince the oldest customer mensagem after the latest reply, while served, or null
     */
    public record View(Instant waitingSince, Instant assignDue, Instant responseDue, String atendenteId,
                       Instant awaitingSince) {

        public static final View NONE = new View(null, null, null, null, null);

        public boolean isEmpty() {
            return equals(NONE);
        }
    }

    public enum Kind { ASSIGNED, FIRST_RESPONSE, RESPONSE_ATTRIBUTED, CLOSED, MENSAGEM_IN, MENSAGEM_OUT }

    /**
     * @param at          the event time, whose windows it counts in
     * @param ms          the duration it measures (wait, response, handling), 0 for mensagens
     * @param since       where that duration started (the SLA target counts from there)
     * @param atendenteId whom it is counted for too, or null for the empresa alone
     */
    public record Event(Kind kind, Instant at, long ms, Instant since, String atendenteId) {
    }
}
