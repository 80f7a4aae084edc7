package dev.chatcentral.gateway.rest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Conversas and their mensagens for the console and integrators. The empresa always comes from the caller's
 * token, never from a parameter; every role sees every conversa of its empresa, since a console shows the queue.
 */
@RestController
@RequestMapping(path = "/api/v1/conversas", produces = "application/json")
@Tag(name = "conversas", description = "Conversas of the caller's empresa and their mensagens")
@ApiResponse(responseCode = "400", description = "a parameter is malformed or out of range",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "PostgreSQL did not answer in time; retrying later may succeed",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
class ConversaController {

    private static final String STATUSES = Arrays.stream(ConversaStatus.values()).map(ConversaStatus::wire)
            .collect(Collectors.joining(", "));

    private final ConversaReads reads;
    private final RestProperties properties;

    ConversaController(ConversaReads reads, RestProperties properties) {
        this.reads = reads;
        this.properties = properties;
    }

    @GetMapping
    @Operation(summary = "List conversas, newest last mensagem first",
            description = "Conversas without any mensagem yet come first. Page with `nextCursor`: a page continues "
                    + "strictly after the previous one, so there are no duplicates or gaps; a conversa that gets a "
                    + "new mensagem while you page moves to the top (the realtime channels announce it).")
    @ApiResponse(responseCode = "200", description = "a page of conversas")
    ConversaPage conversas(
            @Parameter(hidden = true) Agent agent,
            @Parameter(description = "only conversas in this status", schema = @Schema(allowableValues = {
                    "aguardando", "em_atendimento", "encerrada"}))
            @RequestParam(required = false) String status,
            @Parameter(description = "only conversas assigned to this atendente (its user id, the token's `sub`)")
            @RequestParam(required = false) String atendente,
            @Parameter(description = "page size, 1 to the configured maximum (default 50, maximum 200)")
            @RequestParam(required = false) Integer limit,
            @Parameter(description = "`nextCursor` of the previous page")
            @RequestParam(required = false) String cursor) {
        ConversaStatus wanted = status == null ? null : status(status);
        if (atendente != null && atendente.isBlank()) {
            throw ApiException.badParameter("atendente must not be blank");
        }
        int size = limit(limit);
        Position after = cursor == null ? null : Position.fromCursor(cursor, "cursor");
        List<Conversa> rows = reads.conversas(agent.empresaId(), wanted, atendente, after, size + 1);
        if (rows.size() <= size) {
            return new ConversaPage(rows, null);
        }
        List<Conversa> page = rows.subList(0, size);
        Conversa last = page.get(size - 1);
        return new ConversaPage(page, new Position(last.lastMensagemAt(), UUID.fromString(last.conversaId())).cursor());
    }

    @GetMapping("/{conversaId}")
    @Operation(summary = "One conversa")
    @ApiResponse(responseCode = "200", description = "the conversa")
    @ApiResponse(responseCode = "404", description = "no conversa with this id in the caller's empresa",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    Conversa conversa(@Parameter(hidden = true) Agent agent, @PathVariable UUID conversaId) {
        return reads.conversa(agent.empresaId(), conversaId).orElseThrow(ConversaController::noSuchConversa);
    }

    @GetMapping("/{conversaId}/mensagens")
    @Operation(summary = "Mensagens of a conversa, paged by time",
            description = "Without `before` or `after`: the newest mensagens. Items are always oldest first. "
                    + "`before`/`after` take a cursor from a previous page, or an ISO-8601 instant to bound by "
                    + "time alone (exclusive). Give at most one of them.")
    @ApiResponse(responseCode = "200", description = "a page of mensagens")
    @ApiResponse(responseCode = "404", description = "no conversa with this id in the caller's empresa",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    MensagemPage mensagens(
            @Parameter(hidden = true) Agent agent,
            @PathVariable UUID conversaId,
            @Parameter(description = "the mensagens just before this cursor or instant")
            @RequestParam(required = false) String before,
            @Parameter(description = "the mensagens just after this cursor or instant")
            @RequestParam(required = false) String after,
            @Parameter(description = "page size, 1 to the configured maximum (default 50, maximum 200)")
            @RequestParam(required = false) Integer limit) {
        if (before != null && after != null) {
            throw ApiException.badParameter("give before or after, not both");
        }
        int size = limit(limit);
        Position bound = before != null ? Position.fromTimeOrCursor(before, "before")
                : after != null ? Position.fromTimeOrCursor(after, "after") : null;
        if (!reads.conversaExists(agent.empresaId(), conversaId)) {
            throw noSuchConversa();
        }
        List<Mensagem> rows;
        if (after != null) {
            rows = reads.mensagensAfter(agent.empresaId(), conversaId, bound, size + 1);
        } else {
            rows = new ArrayList<>(reads.mensagensBefore(agent.empresaId(), conversaId, bound, size + 1));
            Collections.reverse(rows);
        }
        boolean hasMore = rows.size() > size;
        // The extra row read to learn hasMore lies beyond the page: last of an ascending read, first of a reversed one.
        List<Mensagem> page = !hasMore ? rows : after != null ? rows.subList(0, size) : rows.subList(1, size + 1);
        return page.isEmpty() ? new MensagemPage(page, false, null, null)
                : new MensagemPage(page, hasMore, cursor(page.get(0)), cursor(page.get(page.size() - 1)));
    }

    private int limit(Integer limit) {
        if (limit == null) {
            return properties.defaultLimit();
        }
        if (limit < 1 || limit > properties.maxLimit()) {
            throw ApiException.badParameter("limit must be between 1 and " + properties.maxLimit());
        }
        return limit;
    }

    private static ConversaStatus status(String wire) {
        for (ConversaStatus status : ConversaStatus.values()) {
            if (status.wire().equals(wire)) {
                return status;
            }
        }
        throw ApiException.badParameter("status must be one of " + STATUSES);
    }

    private static String cursor(Mensagem mensagem) {
        return new Position(mensagem.sentAt(), UUID.fromString(mensagem.mensagemId())).cursor();
    }

    /** The same answer for another empresa's conversa and a missing one, so ids of other tenants cannot be probed. */
    private static ApiException noSuchConversa() {
        return ApiException.notFound("no such conversa in your empresa");
    }
}
