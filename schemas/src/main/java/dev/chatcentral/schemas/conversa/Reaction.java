package dev.chatcentral.schemas.conversa;

import java.time.Instant;

/**
 * One WhatsApp reaction to a mensagem. WhatsApp keeps one reaction per reacting number: a new one replaces it, an
 * empty one removes it.
 *
 * @param reactorJid who reacted: the customer or group participant, or {@link #COMPANY} for the empresa's number
 *                   (its atendentes share the one number, so they share its one reaction)
 * @param emoji      the reaction, never empty (a removal removes the entry)
 */
public record Reaction(String reactorJid, boolean fromMe, String emoji, Instant reactedAt) {

    public static final String COMPANY = "me";
}
