package dev.chatcentral.schemas.outbound;

/**
 * A reply to deliver to WhatsApp through Evolution API's sendText, as kept in {@code chat.outbound}
 * (key = instance, so one WhatsApp number's replies go out in order and its rate limit is kept in one place).
 * The send is identified by its empresa, the atendente who sent it and the client-made {@code commandId}: the
 * dispatcher calls Evolution at most once per send.
 *
 * @param userId      the atendente whose command this is (null on records written before it was added)
 * @param number      digits with country code, or a full JID for groups
 * @param quotedKeyId WhatsApp id of the message being answered, or null
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
        String quotedText) {
}
