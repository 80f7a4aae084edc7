package dev.chatcentral.schemas.event;

import java.time.Instant;
import java.util.List;

/**
 * {@code data} of an {@code sla_warning} and an {@code sla_breached} event, on the empresa's channel and on the
 * assigned atendente's (docs/assignment.md "SLA timers"): a response the empresa's SLA targets is due soon, or is due
 * now and has not come.
 *
 * @param atendenteId the atendente who holds the conversa and owes the response
 * @param kind        {@link #FIRST_RESPONSE} (since the conversa was assigned or reopened) or {@link #NEXT_RESPONSE}
 *                    (since the customer wrote after an atendente's reply)
 * @param dueAt       when the response is due: {@code startedAt} plus the target in the empresa's business hours
 * @param startedAt   when the clock started
 */
public record SlaTimerData(String conversaId, String atendenteId, String kind, Instant dueAt, Instant startedAt) {

    public static final String FIRST_RESPONSE = "first_response";
    public static final String NEXT_RESPONSE = "next_response";
    public static final List<String> KINDS = List.of(FIRST_RESPONSE, NEXT_RESPONSE);
}
