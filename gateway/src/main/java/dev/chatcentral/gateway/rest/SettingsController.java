package dev.chatcentral.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletionException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.settings.EmpresaSettingsCache;
import dev.chatcentral.gateway.settings.SettingsWriter;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The caller's empresa's service settings (automatic assignment, docs/assignment.md): supervisors and admins read
 * them, admins change them. Always the caller's own empresa, from the token.
 */
@RestController
@RequestMapping(path = "/api/v1/empresa/settings", produces = "application/json")
@Tag(name = "settings", description = "The empresa's service settings, read by supervisors, changed by admins")
@ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "reading: neither a supervisor nor an admin; changing: not an admin",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the settings could not be read or written in time",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
class SettingsController {

    private final EmpresaSettingsCache cache;
    private final SettingsWriter writer;

    SettingsController(EmpresaSettingsCache cache, SettingsWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    @GetMapping
    @Operation(summary = "The empresa's service settings",
            description = "As the latest record of `chat.empresa.settings` holds them; `version` 0 with "
                    + "`updatedAt` null when nobody changed them (assignment `off`).")
    @ApiResponse(responseCode = "200", description = "the settings")
    EmpresaSettings get(@Parameter(hidden = true) Agent agent) {
        if (!agent.hasRole(Role.SUPERVISOR) && !agent.hasRole(Role.ADMIN)) {
            throw ApiException.forbidden("only supervisors and admins may read the empresa's settings");
        }
        return current(agent.empresaId());
    }

    @PutMapping
    @Operation(summary = "Change the empresa's service settings",
            description = "Body: the `version` the change was made to (as GET answered it) and the whole new "
                    + "`assignment`: `mode` (`off`, `round_robin`, `least_loaded`), `defaultCapacity` (1 to 100, "
                    + "default 5), `capacities` (userId to 0..100, at most 1000), `offlineGraceSeconds` (0 to "
                    + "86400, default 120); optionally the SLA targets `sla`: `firstResponseSeconds`, "
                    + "`nextResponseSeconds` (0, the default, for off, to 2592000) and `warningBeforeSeconds` (0 for "
                    + "none, else below every target that is on), and the business hours `calendar`: `timeZone` (an "
                    + "IANA id), `weeklyHours` (`monday` to `sunday`, each at most 8 sorted, non-overlapping "
                    + "`{start, end}` from `00:00` to `24:00`) and `holidays` (at most 400 dates, `2026-12-25`); "
                    + "absent or null is around the clock in UTC. Each change writes every group anew: a group "
                    + "left out is back to its default. Answers the settings written, at `version` + 1, once Kafka "
                    + "has them; every gateway node and the stream-processor read them from the topic.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json",
                    examples = @ExampleObject("{\"version\": 3, \"assignment\": {\"mode\": \"least_loaded\", "
                            + "\"defaultCapacity\": 4, \"capacities\": {\"u-42\": 8}, \"offlineGraceSeconds\": 120}, "
                            + "\"sla\": {\"firstResponseSeconds\": 900, \"nextResponseSeconds\": 1800, "
                            + "\"warningBeforeSeconds\": 300}, \"calendar\": {\"timeZone\": \"America/Sao_Paulo\", "
                            + "\"weeklyHours\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, "
                            + "{\"start\": \"13:00\", \"end\": \"18:00\"}]}, \"holidays\": [\"2026-12-25\"]}}"))))
    @ApiResponse(responseCode = "200", description = "the settings written")
    @ApiResponse(responseCode = "400", description = "a malformed change, with the reason",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the settings changed since `version`: read them again",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "a body over 256 KiB",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    EmpresaSettings put(@Parameter(hidden = true) Agent agent, InputStream body) throws IOException {
        if (!agent.hasRole(Role.ADMIN)) {
            throw ApiException.forbidden("only admins may change the empresa's settings");
        }
        byte[] bytes = body.readNBytes(SettingsRequest.MAX_BODY + 1);
        if (bytes.length > SettingsRequest.MAX_BODY) {
            throw ApiException.tooLarge("a settings change must be at most " + SettingsRequest.MAX_BODY + " bytes");
        }
        SettingsRequest change = SettingsRequest.parse(bytes);
        EmpresaSettings current = current(agent.empresaId());
        if (change.version() != current.version()) {
            throw ApiException.conflict("the settings are at version " + current.version() + ", not "
                    + change.version() + ": read them again and make the change to that version");
        }
        try {
            return writer.write(agent.empresaId(), current.version(), change.assignment(), change.sla(),
                    change.calendar(), agent.userId());
        } catch (SettingsWriter.StaleVersionException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (SettingsWriter.UnavailableException e) {
            throw ApiException.unavailable(e.getMessage());
        }
    }

    private EmpresaSettings current(String empresaId) {
        try {
            return cache.current(empresaId).join();
        } catch (CompletionException e) {
            throw ApiException.unavailable("the settings could not be read now, try again");
        }
    }
}
