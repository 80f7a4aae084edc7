package dev.chatcentral.gateway.realtime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.auth.BearerToken;
import dev.chatcentral.gateway.auth.InvalidAgentTokenException;
import dev.chatcentral.gateway.channel.ChannelAccess;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.ConnectionRefusal;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.delivery.FrameSink;
import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.SessionProperties;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.delivery.Transport;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.schemas.serde.Json;

/**
 * The fallbacks for clients that cannot keep a WebSocket: an SSE stream and long-polling. Same token (header or
 * {@code ?token=}, since EventSource cannot set headers), same channels and checks, same frames and positions:
 * both open an ordinary session and subscribe it through the {@link Fanout}, like a WebSocket does.
 */
@RestController
class RealtimeHttpController {

    private static final Logger log = LoggerFactory.getLogger(RealtimeHttpController.class);

    private final AgentTokenVerifier verifier;
    private final ChannelAuthorizer authorizer;
    private final Fanout fanout;
    private final Sessions sessions;
    private final RealtimeMetrics metrics;
    private final GatewayNode node;
    private final RealtimeHttpProperties properties;
    private final int maxChannels;

    RealtimeHttpController(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout,
                           Sessions sessions, RealtimeMetrics metrics, GatewayNode node,
                           RealtimeHttpProperties properties, SessionProperties limits) {
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.fanout = fanout;
        this.sessions = sessions;
        this.metrics = metrics;
        this.node = node;
        this.properties = properties;
        this.maxChannels = limits.maxChannels();
    }

    /**
     * An SSE stream of the channels' frames. {@code Last-Event-ID} (the browser's reconnect) or {@code since}
     * resumes after that position. Refusals are plain HTTP answers with a JSON body, before any stream.
     */
    @GetMapping("/realtime/sse")
    SseEmitter sse(HttpServletRequest request, HttpServletResponse response,
                   @RequestParam(name = "channel", required = false) List<String> channels,
                   @RequestParam(name = "since", required = false) String since,
                   @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) throws IOException {
        Opening opening = open(request, channels, lastEventId != null && !lastEventId.isBlank() ? lastEventId : since);
        if (opening.refusal() != null) {
            write(response, opening.refusal());
            return null;
        }
        SseEmitter emitter = new SseEmitter(0L);
        Started started = start(opening, Transport.SSE, new SseSink(emitter), true);
        if (started.refusal() != null) {
            write(response, started.refusal());
            return null;
        }
        ClientSession session = started.session();
        emitter.onCompletion(() -> sessions.closed(session));
        emitter.onError(e -> sessions.closed(session));
        session.send(Frames.connected(session.id(), session.agent(), node.id()));
        fanout.subscribe(session, opening.channels(), opening.since());
        return emitter;
    }

    /**
     * A long-poll: answers {@code {"events":[...],"position":N}} once there are events after {@code since} on the
     * channels, or after the poll timeout with none. Without {@code since} it answers at once with the current
     * position, to poll from next.
     */
    @GetMapping(path = "/realtime/poll", produces = MediaType.APPLICATION_JSON_VALUE)
    DeferredResult<ResponseEntity<Map<String, Object>>> poll(HttpServletRequest request,
            @RequestParam(name = "channel", required = false) List<String> channels,
            @RequestParam(name = "since", required = false) String since) {
        DeferredResult<ResponseEntity<Map<String, Object>>> result =
                new DeferredResult<>(properties.pollTimeout().toMillis());
        Opening opening = open(request, channels, since);
        if (opening.refusal() != null) {
            result.setResult(opening.refusal());
            return result;
        }
        PollSink sink = new PollSink(result, opening.channels().size(), opening.since(), properties.pollMaxEvents());
        Started started = start(opening, Transport.POLL, sink, false);
        if (started.refusal() != null) {
            result.setResult(started.refusal());
            return result;
        }
        ClientSession session = started.session();
        // the session ends with the answer, whichever way the answer comes
        result.onCompletion(() -> sessions.closed(session));
        result.onTimeout(sink::answer);
        result.onError(e -> sessions.closed(session));
        fanout.subscribe(session, opening.channels(), opening.since());
        return result;
    }

    private Opening open(HttpServletRequest request, List<String> channels, String since) {
        String query = request.getParameter("token");
        String token = BearerToken.find(request.getHeader(HttpHeaders.AUTHORIZATION), List.of(), query).orElse(null);
        if (token == null) {
            metrics.refused("unauthorized");
            return Opening.refused(refusal(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "missing token: send Authorization: Bearer <jwt> or ?token=<jwt>"));
        }
        Agent agent;
        try {
            agent = verifier.verify(token);
        } catch (InvalidAgentTokenException e) {
            metrics.refused("unauthorized");
            return Opening.refused(refusal(HttpStatus.UNAUTHORIZED, "unauthorized", e.getMessage()));
        }
        if (channels == null || channels.isEmpty() || channels.size() > maxChannels) {
            return Opening.refused(refusal(HttpStatus.BAD_REQUEST, Frames.BAD_FRAME,
                    "name 1 to " + maxChannels + " channels: ?channel=empresa:{empresaId}&channel=..."));
        }
        Long position = null;
        if (since != null && !since.isBlank()) {
            try {
                position = Long.parseLong(since.trim());
            } catch (NumberFormatException e) {
                position = Long.MIN_VALUE;
            }
            if (position < -1) {
                return Opening.refused(refusal(HttpStatus.BAD_REQUEST, Frames.BAD_FRAME,
                        "since / Last-Event-ID must be a position: an integer, at least -1"));
            }
        }
        List<String> distinct = channels.stream().distinct().toList();
        // every name is checked as text before any is looked up, so a malformed one costs no PostgreSQL query
        for (String channel : distinct) {
            Optional<ChannelAccess> malformed = authorizer.refuseMalformed(channel);
            if (malformed.isPresent()) {
                metrics.error(Frames.BAD_CHANNEL);
                return Opening.refused(channelRefusal(HttpStatus.BAD_REQUEST, Frames.BAD_CHANNEL, malformed.get(),
                        channel));
            }
        }
        for (String channel : distinct) {
            ChannelAccess access = authorizer.check(agent, channel);
            ResponseEntity<Map<String, Object>> refused = switch (access.outcome()) {
                case GRANTED -> null;
                case BAD_CHANNEL -> channelRefusal(HttpStatus.BAD_REQUEST, Frames.BAD_CHANNEL, access, channel);
                case FORBIDDEN -> channelRefusal(HttpStatus.FORBIDDEN, Frames.FORBIDDEN, access, channel);
                case UNAVAILABLE -> channelRefusal(HttpStatus.SERVICE_UNAVAILABLE, Frames.UNAVAILABLE, access, channel);
            };
            if (refused != null) {
                metrics.error(String.valueOf(refused.getBody().get("error")));
                return Opening.refused(refused);
            }
        }
        return new Opening(agent, distinct, position, null);
    }

    /**
     * Takes a place and opens the session once its empresa's events are read; else the answer refusing it: the
     * node's, user's or empresa's connection limit, or 503 {@code unavailable} when the events cannot be read now.
     */
    private Started start(Opening opening, Transport transport, FrameSink sink, boolean keepalive) {
        Optional<ConnectionRefusal> refused = sessions.reserve(opening.agent());
        if (refused.isPresent()) {
            ConnectionRefusal refusal = refused.get();
            return Started.refused(ResponseEntity.status(refusal.status())
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(refusal.retryAfterSeconds()))
                    .body(body(refusal.code(), refusal.reason())));
        }
        ClientSession session = sessions.open(transport, opening.agent(), sink, keepalive);
        try {
            session.ready().get(properties.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Started(session, null);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{} session of empresa {} refused: events not ready: {}", transport.tag(),
                    opening.agent().empresaId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.closed(session);
        return Started.refused(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(body(Frames.UNAVAILABLE, "the empresa's events cannot be read now, retry later")));
    }

    private static ResponseEntity<Map<String, Object>> channelRefusal(HttpStatus status, String code,
                                                                      ChannelAccess access, String channel) {
        Map<String, Object> body = body(code, access.reason());
        body.put("channel", Frames.echo(channel));
        return ResponseEntity.status(status).body(body);
    }

    private static ResponseEntity<Map<String, Object>> refusal(HttpStatus status, String code, String reason) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        return builder.body(body(code, reason));
    }

    private static Map<String, Object> body(String code, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("reason", reason);
        return body;
    }

    private static void write(HttpServletResponse response, ResponseEntity<Map<String, Object>> refusal)
            throws IOException {
        response.setStatus(refusal.getStatusCode().value());
        refusal.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(refusal.getBody()));
    }

    private record Started(ClientSession session, ResponseEntity<Map<String, Object>> refusal) {

        static Started refused(ResponseEntity<Map<String, Object>> refusal) {
            return new Started(null, refusal);
        }
    }

    private record Opening(Agent agent, List<String> channels, Long since,
                           ResponseEntity<Map<String, Object>> refusal) {

        static Opening refused(ResponseEntity<Map<String, Object>> refusal) {
            return new Opening(null, null, null, refusal);
        }
    }
}
