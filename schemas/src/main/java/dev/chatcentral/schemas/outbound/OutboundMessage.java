package dev.chatcentral.schemas.outbound;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What to do on WhatsApp through Evolution API for an atendente, as kept in {@code chat.outbound}
 * (key = instance, so one WhatsApp number's sends go out in order and its rate limit is kept in one place): a reply
 * (sendText), a reaction to a mensagem (sendReaction) or the deletion for everyone of one of the empresa's own
 * mensagens (deleteMessageForEveryone). The send is identified by its empresa, the atendente who sent it and the
 * client-made {@code commandId}: the dispatcher calls Evolution at most once per send.
 *
 * @param userId      the atendente whose command this is (null on records written before it was added)
 * @param number      digits with country code, or a full JID for groups
 * @param text        for a reply: its text; for a reaction: the emoji, empty to remove the number's reaction
 * @param quotedKeyId WhatsApp id of the message being answered, or null
 * @param kind        {@link #REPLY} (also when absent, as on records written before it was added), {@link #REACTION}
 *                    or {@link #DELETE}
 * @param target      for a reaction or a deletion: the WhatsApp key of the mensagem it acts on
 */
public record OutboundMessage(
        String commandId,
        String userId,
        String mensagemId,
        String conversaId,
        String empresaId,
        String instance,
        String number,
        String text,
        String quotedKeyId,
        String quotedText,
        @JsonInclude(JsonInclude.Include.NON_NULL) String kind,
        @JsonInclude(JsonInclude.Include.NON_NULL) TargetKey target) {

    public static final String REPLY = "reply";
    public static final String REACTION = "reaction";
    public static final String DELETE = "delete";

    /**
     * A WhatsApp message key as Evolution takes it ({@code key} of sendReaction, the body of
     * deleteMessageForEveryone).
     *
     * @param remoteJid   the chat's full JID
     * @param participant in a group, who wrote the message; null otherwise
     */
    public record TargetKey(String remoteJid, boolean fromMe, String id, String participant) {
    }

    /** A reply, as written before reactions and deletions existed. */
    public OutboundMessage(String commandId, String userId, String mensagemId, String conversaId, String empresaId,
                           String instance, String number, String text, String quotedKeyId, String quotedText) {
        this(commandId, userId, mensagemId, conversaId, empresaId, instance, number, text, quotedKeyId, quotedText,
                null, null);
    }

    /** The kind, with the records written before it existed read as replies. */
    public String effectiveKind() {
        return kind == null ? REPLY : kind;
    }
}
