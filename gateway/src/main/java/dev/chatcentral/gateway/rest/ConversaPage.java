package dev.chatcentral.gateway.rest;

import java.util.List;

import dev.chatcentral.schemas.conversa.Conversa;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One page of conversas, newest {@code lastMensagemAt} first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record ConversaPage(
        List<Conversa> items,
        @Schema(nullable = true, description = "pass as `cursor` for the next page; null on the last page")
        String nextCursor) {
}
