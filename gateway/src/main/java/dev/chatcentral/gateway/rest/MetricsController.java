package dev.chatcentral.gateway.rest;

import java.util.concurrent.CompletionException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.metrics.PipelineMetrics;
import dev.chatcentral.gateway.metrics.QueueReport;
import dev.chatcentral.gateway.metrics.ServiceFigures;
import dev.chatcentral.gateway.presence.PresenceCache;
import dev.chatcentral.schemas.metrics.ServiceMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The figures of the console's monitoring page (the seed's {@code QueueMonitoring}), for supervisors and admins: the
 * pipeline's queue figures, which every empresa shares, with the caller's empresa's online atendentes, and the
 * caller's empresa's service figures.
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
    private final ServiceFigures service;

    MetricsController(PipelineMetrics metrics, PresenceCache presence, ServiceFigures service) {
        this.metrics = metrics;
        this.presence = presence;
        this.service = service;
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
        requireSupervisor(agent, "queue");
        int onlineNow;
        try {
            onlineNow = presence.current(agent.empresaId()).join().online().size();
        } catch (CompletionException e) {
            throw ApiException.unavailable("presence could not be read now, try again");
        }
        return metrics.report(agent.empresaId(), onlineNow);
    }

    @GetMapping("/metrics/service")
    @Operation(summary = "The caller's empresa's live service figures",
            description = "Customers waiting now and the longest wait, first assignment, first response and "
                    + "handling times (sums, counts and maxima: an average is sum / count) and SLA breaches in the "
                    + "current one-minute and one-hour windows, the empresa's and each atendente's, and what awaits "
                    + "each atendente's reply now, as the analytics application last wrote them to "
                    + "`chat.service.metrics` (every few seconds). Always the caller's own empresa. Before any "
                    + "figures were written for it, `ts` is null, `waiting` and `longestWaitMs` 0 and the lists "
                    + "empty. Later figures come as `service_metrics` events on `empresa:{empresaId}`.")
    @ApiResponse(responseCode = "200", description = "the latest figures, or the empty ones with ts null")
    ServiceMetrics service(@Parameter(hidden = true) Agent agent) {
        requireSupervisor(agent, "service");
        return service.current(agent.empresaId());
    }

    private static void requireSupervisor(Agent agent, String figures) {
        if (!agent.hasRole(Role.SUPERVISOR) && !agent.hasRole(Role.ADMIN)) {
            throw ApiException.forbidden("only supervisors and admins may read the " + figures + " figures");
        }
    }
}
