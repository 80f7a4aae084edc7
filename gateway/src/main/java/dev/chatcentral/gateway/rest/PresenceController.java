package dev.chatcentral.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.presence.PresenceCache;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Who is online in the caller's empresa, from the same {@code chat.presence} snapshots the {@code presence:}
 * channel starts from. Atendentes are known only through presence: there is no directory of atendentes, so an
 * atendente who is offline is not listed.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Tag(name = "presence", description = "Online atendentes of the caller's empresa")
@ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "presence could not be read in time; retrying later may succeed",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
class PresenceController {

    private static final Logger log = LoggerFactory.getLogger(PresenceController.class);

    private final PresenceCache presence;

    PresenceController(PresenceCache presence) {
        this.presence = presence;
    }

    @GetMapping("/presence")
    @Operation(summary = "The empresa's presence: online atendentes and their count",
            description = "The same state a subscriber of `presence:{empresaId}` gets first (`presence_snapshot`). "
                    + "`version` is the presence version it reflects: `presence_update` events with a greater "
                    + "version came after it. An empresa nobody was ever online in has version 0 and ts null.")
    @ApiResponse(responseCode = "200", description = "the online atendentes, by userId")
    PresenceSnapshot presence(@Parameter(hidden = true) Agent agent) {
        return current(agent);
    }

    @GetMapping("/atendentes")
    @Operation(summary = "Atendentes of the empresa with their presence",
            description = "Atendentes are known from presence only (there is no atendente directory): this lists "
                    + "those online now, each with the status they chose. Offline atendentes are not listed.")
    @ApiResponse(responseCode = "200", description = "the atendentes, by userId")
    @ApiResponse(responseCode = "400", description = "an unknown status",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    AtendentePage atendentes(
            @Parameter(hidden = true) Agent agent,
            @Parameter(description = "only atendentes with this status", schema = @Schema(allowableValues = {
                    PresenceStatus.DISPONIVEL, PresenceStatus.AUSENTE, PresenceStatus.OCUPADO}))
            @RequestParam(required = false) String status) {
        if (status != null && !PresenceStatus.ALL.contains(status)) {
            throw ApiException.badParameter("status must be one of disponivel, ausente, ocupado");
        }
        List<Atendente> items = current(agent).online().stream()
                .filter(user -> status == null || status.equals(user.status()))
                .map(user -> new Atendente(user.userId(), user.name(), true, user.status(), user.since()))
                .toList();
        return new AtendentePage(items);
    }

    private PresenceSnapshot current(Agent agent) {
        try {
            return presence.current(agent.empresaId()).join();
        } catch (CompletionException e) {
            log.warn("presence of empresa {} not read: {}", agent.empresaId(), e.getCause().toString());
            throw ApiException.unavailable("presence could not be read now, try again");
        }
    }

    /**
     * @param online always true: atendentes are known from presence only
     * @param status one of disponivel, ausente, ocupado
     * @param since  when they came online
     */
    @Schema(name = "Atendente")
    record Atendente(String userId, String name, boolean online, String status, Instant since) {
    }

    @Schema(name = "AtendentePage")
    record AtendentePage(List<Atendente> items) {
    }
}
