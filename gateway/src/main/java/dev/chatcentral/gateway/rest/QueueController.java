package dev.chatcentral.gateway.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.gateway.presence.PresenceCache;
import dev.chatcentral.gateway.settings.EmpresaSettingsCache;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The supervisor's view of the caller's empresa's queue (docs/assignment.md): the conversas waiting for an
 * atendente, longest waiting first, and each atendente's open conversas against the capacity the empresa's settings
 * give them, with their presence. Conversas come from PostgreSQL, settings and presence from the node's caches of
 * their compacted topics; the three are read one after the other, so a change in between may show in one and not
 * yet in another (the realtime events that follow say so, and a console reads again).
 */
@RestController
@RequestMapping(path = "/api/v1/empresa/queue", produces = "application/json")
@Tag(name = "queue", description = "The empresa's waiting conversas and its atendentes' loads, for supervisors")
@ApiResponse(responseCode = "400", description = "a `limit` out of range or not an integer",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "401", description = "no token, or a malformed, badly signed or expired one",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "neither a supervisor nor an admin",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "PostgreSQL, the settings or presence could not be read in time",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
class QueueController {

    /**
     * At most this many atendentes are listed (the first by userId); an empresa has far fewer, and a page of them is
     * what one screen can show.
     */
    static final int MAX_ATENDENTES = 500;

    /** Code point order, as PostgreSQL's {@code COLLATE "C"} sorts the loads it reads (QueueReads). */
    private static final Comparator<String> BY_CODE_POINT =
            Comparator.comparing((String id) -> id.codePoints().toArray(), Arrays::compare);

    private static final Logger log = LoggerFactory.getLogger(QueueController.class);

    private final QueueReads reads;
    private final EmpresaSettingsCache settings;
    private final PresenceCache presence;
    private final RestProperties properties;

    QueueController(QueueReads reads, EmpresaSettingsCache settings, PresenceCache presence,
                    RestProperties properties) {
        this.reads = reads;
        this.settings = settings;
        this.presence = presence;
        this.properties = properties;
    }

    @GetMapping
    @Operation(summary = "The empresa's queue: waiting conversas and atendentes' loads against capacity",
            description = "`waiting.items`: the first `limit` conversas waiting for an atendente (`aguardando`, "
                    + "nobody holding it), the longest waiting first; `waiting.total` counts them all. "
                    + "`atendentes.items`: every atendente online or holding an open conversa, by userId, at most "
                    + MAX_ATENDENTES + " (`truncated` says more exist), each with `open` conversas (not "
                    + "`encerrada`), `capacity` from the settings and presence.")
    @ApiResponse(responseCode = "200", description = "the queue")
    EmpresaQueue queue(
            @Parameter(hidden = true) Agent agent,
            @Parameter(description = "waiting conversas listed, 1 to the configured maximum (default 50, maximum "
                    + "200)")
            @RequestParam(required = false) Integer limit) {
        if (!agent.hasRole(Role.SUPERVISOR) && !agent.hasRole(Role.ADMIN)) {
            throw ApiException.forbidden("only supervisors and admins may see the empresa's queue");
        }
        int size = limit(limit);
        String empresaId = agent.empresaId();
        // both caches answer once their partition is read to its end: ask both before PostgreSQL, wait after
        CompletableFuture<EmpresaSettings> settingsRead = settings.current(empresaId);
        CompletableFuture<PresenceSnapshot> presenceRead = presence.current(empresaId);
        Instant ts = Instant.now();
        long total = reads.waitingCount(empresaId);
        List<Waiting> waiting = reads.waiting(empresaId, size);
        Map<String, Integer> loads = reads.loads(empresaId, MAX_ATENDENTES + 1);
        EmpresaSettings current = join(settingsRead, "the settings", empresaId);
        PresenceSnapshot online = join(presenceRead, "presence", empresaId);

        Map<String, AtendenteLoad> atendentes = new TreeMap<>(BY_CODE_POINT);
        for (PresenceSnapshot.OnlineUser user : online.online()) {
            // a supervisor or admin watching is online too, but takes no conversas: listed only when holding some
            if (!user.takesConversas() && !loads.containsKey(user.userId())) {
                continue;
            }
            atendentes.put(user.userId(), load(current.assignment(), user.userId(), user.name(), true, user.status(),
                    loads.getOrDefault(user.userId(), 0)));
        }
        loads.forEach((userId, open) -> atendentes.putIfAbsent(userId,
                load(current.assignment(), userId, null, false, null, open)));
        List<AtendenteLoad> listed = new ArrayList<>(atendentes.values());
        boolean truncated = listed.size() > MAX_ATENDENTES;
        if (truncated) {
            listed = listed.subList(0, MAX_ATENDENTES);
        }
        EmpresaSettings.Assignment assignment = current.assignment();
        return new EmpresaQueue(empresaId, ts,
                new AssignmentView(assignment.mode(), assignment.automatic(), assignment.defaultCapacity(),
                        current.version()),
                new WaitingList(total, size, List.copyOf(waiting)),
                new AtendenteList(List.copyOf(listed), truncated, MAX_ATENDENTES),
                online.version());
    }

    private static AtendenteLoad load(EmpresaSettings.Assignment assignment, String userId, String name,
                                      boolean online, String status, int open) {
        int capacity = assignment.capacityOf(userId);
        boolean available = online && PresenceStatus.DISPONIVEL.equals(status) && open < capacity;
        return new AtendenteLoad(userId, name, online, status, open, capacity, available);
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

    private static <T> T join(CompletableFuture<T> read, String what, String empresaId) {
        try {
            return read.join();
        } catch (CompletionException e) {
            log.warn("{} of empresa {} not read: {}", what, empresaId, String.valueOf(e.getCause()));
            throw ApiException.unavailable(what + " could not be read now, try again");
        }
    }

    /**
     * @param ts              when the answer was read (the gateway's clock): waits are counted to it
     * @param presenceVersion the presence version the atendentes' statuses reflect: {@code presence_update} events
     *                        with a greater one came after it
     */
    @Schema(name = "EmpresaQueue")
    record EmpresaQueue(String empresaId, Instant ts, AssignmentView assignment, WaitingList waiting,
                        AtendenteList atendentes, long presenceVersion) {
    }

    /**
     * @param mode      as the settings hold it: {@code off}, {@code round_robin} or {@code least_loaded}
     * @param automatic whether conversas are handed out automatically (a mode a reader does not know is off)
     * @param version   the settings' version, 0 when nobody changed them
     */
    @Schema(name = "QueueAssignment")
    record AssignmentView(String mode, boolean automatic, int defaultCapacity, long version) {
    }

    /**
     * @param total how many conversas wait, also those beyond {@code limit}
     * @param limit the most {@code items} this answer lists
     * @param items the longest waiting first
     */
    @Schema(name = "QueueWaiting")
    record WaitingList(long total, int limit, List<Waiting> items) {
    }

    /**
     * @param waitingSince when it started waiting: its latest change of status or atendente, else its creation
     */
    @Schema(name = "QueueWaitingConversa")
    record Waiting(String conversaId, String contactName, String instance, String remoteJid, Instant waitingSince) {
    }

    /**
     * @param truncated whether more atendentes than {@code limit} are online or hold open conversas
     */
    @Schema(name = "QueueAtendentes")
    record AtendenteList(List<AtendenteLoad> items, boolean truncated, int limit) {
    }

    /**
     * @param name      as their token named them while online; null when offline or unnamed
     * @param status    disponivel, ausente or ocupado; null when offline
     * @param open      conversas they hold that are not encerrada, as automatic assignment counts them
     * @param capacity  how many open conversas automatic assignment lets them hold (the settings)
     * @param available online, disponivel and below capacity: automatic assignment may hand them the next conversa
     */
    @Schema(name = "QueueAtendente")
    record AtendenteLoad(String userId, String name, boolean online, String status, int open, int capacity,
                         boolean available) {
    }
}
