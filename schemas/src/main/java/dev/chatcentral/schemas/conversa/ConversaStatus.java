package dev.chatcentral.schemas.conversa;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a conversa stands in the service flow: waiting for an atendente, being served, or closed. */
public enum ConversaStatus {
    AGUARDANDO("aguardando"), EM_ATENDIMENTO("em_atendimento"), ENCERRADA("encerrada");

    private final String wire;

    ConversaStatus(String wire) {
        this.wire = wire;
    }

    /** The lower-case name used in JSON, in SQL and in the protocol. */
    @JsonValue
    public String wire() {
        return wire;
    }
}
