package dev.chatcentral.schemas.presence;

import java.util.Set;

/**
 * The status an atendente chooses, as it travels in signals, events and snapshots: ASCII forms of the seed's
 * disponível, ausente and ocupado. A user who comes online is {@link #DISPONIVEL} until they choose otherwise.
 */
public final class PresenceStatus {

    public static final String DISPONIVEL = "disponivel";
    public static final String AUSENTE = "ausente";
    public static final String OCUPADO = "ocupado";

    public static final Set<String> ALL = Set.of(DISPONIVEL, AUSENTE, OCUPADO);

    private PresenceStatus() {
    }
}
