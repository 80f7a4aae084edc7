package dev.chatcentral.gateway.rest;

import java.util.List;

import dev.chatcentral.schemas.conversa.Mensagem;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of a conversa's mensagens, always oldest first (the order a chat shows them).
 *
 * @param hasMore whether more mensagens lie beyond this page in the direction asked: older ones for a
 *                {@code before} (or unbounded) request, newer ones for an {@code after} request
 * @param before  cursor of the oldest item: pass as {@code before} for the page before this one; null when empty
 * @param after   cursor of the newest item: pass as {@code after} for the page after this one; null when empty
 */
public record MensagemPage(
        List<Mensagem> items,
        @Schema(description = "more mensagens lie beyond this page in the direction asked: older for `before` "
                + "(or no bound), newer for `after`")
        boolean hasMore,
        @Schema(nullable = true, description = "cursor of the oldest item; pass as `before` for older mensagens")
        String before,
        @Schema(nullable = true, description = "cursor of the newest item; pass as `after` for newer mensagens")
        String after) {
}
