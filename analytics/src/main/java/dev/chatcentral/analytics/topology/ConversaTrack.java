package dev.chatcentral.analytics.topology;

import java.time.Instant;

import dev.chatcentral.schemas.conversa.ConversaStatus;

/**
 * What the tracker keeps of one conversa, from both topics: enough to turn each change into facts once, whichever
 * of the two topics shows a change first. Mutable state of one store entry, read and written within one record.
 */
public final class ConversaTrack {

    public String empresaId;
    /** The latest version of the conversa seen, -1 before any: older and repeated versions change nothing. */
    public long version = -1;
    /** Null while only mensagens of the conversa have been seen. */
    public ConversaStatus status;
    public String atendenteId;
    /** Creation or the latest reopening. */
    public Instant episodeStart;
    public Instant waitingSince;
    public Instant assignedAt;
    public String assignedTo;
    public Instant closedAt;
    /** The customer's first mensagem of the episode, null until one after the latest close. */
    public Instant firstCustomerAt;
    public boolean responded;
    /** A first response given while no atendente was known yet, to count for the one who gets the conversa. */
    public Instant unattributedAt;
    public long unattributedMs;
    public Instant lastCustomerAt;
    public Instant lastReplyAt;
    /** The oldest customer mensagem after the latest reply, null when the latest mensagem is the company's. */
    public Instant unansweredSince;

    public ConversaTrack() {
    }

    ConversaTrack(String empresaId) {
        this.empresaId = empresaId;
    }

    Fact.View view() {
        boolean served = status == ConversaStatus.EM_ATENDIMENTO;
        boolean waiting = status == ConversaStatus.AGUARDANDO;
        return new Fact.View(
                waiting ? waitingSince : null,
                waiting && assignedAt == null ? episodeStart : null,
                !responded ? firstCustomerAt : null,
                served ? atendenteId : null,
                served ? unansweredSince : null);
    }
}
