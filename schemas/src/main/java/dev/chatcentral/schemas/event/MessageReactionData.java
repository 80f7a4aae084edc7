package dev.chatcentral.schemas.event;

import java.util.List;

import dev.chatcentral.schemas.conversa.Reaction;

/**
 * {@code data} of a {@code message_reaction} event: one reacting number's reaction to a mensagem was set, replaced
 * or removed.
 *
 * @param reactorJid who reacted ({@link Reaction#COMPANY} for the empresa's own number)
 * @param emoji      the reaction now, null when it was removed
 * @param reactions  every reaction the mensagem has now
 */
public record MessageReactionData(String conversaId, String mensagemId, String keyId, String reactorJid,
                                  boolean reactorFromMe, String emoji, List<Reaction> reactions) {
}
