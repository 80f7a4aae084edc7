package dev.chatcentral.gateway.rest;

import java.util.concurrent.CompletionException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.metrics.PipelineMetrics;
import dev.chatcentral.gateway.metrics.QueueReport;
import dev.chatcentral.gateway.presence.PresenceCache;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The queue figures of the console's monitoring page (the seed's {@code QueueMonitoring}), for supervisors and
 * admins: the pipeline's, which every empresa shares, and the caller's empresa's online atendentes.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Tag(name = "metrics", description = "Queue figures for supervisors")
@ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "the caller is neither a supervisor nor an admin",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
class MetricsController {

    private final PipelineMetrics metrics;
    private final PresenceCache presence;

    MetricsController(PipelineMetrics metrics, PresenceCache presence) {
        this.metrics = metrics;
        this.presence = presence;
    }

    @GetMapping("/metrics/queue")
    @Operation(summary = "The pipeline's queue figures now and over the last hour",
            description = "Queue size (records the pipeline has not consumed: consumer lag per input topic), "
                    + "webhooks processed per minute, error rate (percent of them given up on), records held in "
                    + "the DLQ and open connections per gateway node, from every node's samples on "
                    + "`chat.metrics` (one per 10 s); `history` has one point per 10 s over the last hour. "
                    + "`onlineAtendentes` is the caller's empresa's, now and in each point as this node sampled "
                    + "it since the empresa's figures were first asked for on it (within the hour).")
    @ApiResponse(responseCode = "200", description = "the figures")
    QueueReport queue(@Parameter(hidden = true) Agent agent) {
        if (!agent.hasRole(Role.SUPERVISOR) && !agent.hasRole(Role.ADMIN)) {
            throw ApiException.forbidden("only supervisors and admins may read the queue figures");
        }
        int onlineNow;
        try {
            onlineNow = presence.current(agent.empresaId()).join().online().size();
        } catch (CompletionException e) {
            throw ApiException.unavailable("presence could not be read now, try again");
        }
        return metrics.report(agent.empresaId(), onlineNow);
    }
}
