package dev.chatcentral.gateway.websocket;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.auth.InvalidAgentTokenException;
import dev.chatcentral.gateway.channel.ChannelAccess;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.command.CommandIntake;
import dev.chatcentral.gateway.command.CommandRefusedException;
import dev.chatcentral.gateway.delivery.ClientSession;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.OutboundFrame;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.signal.SignalPublisher;
import dev.chatcentral.gateway.signal.TypingLane;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.signal.Signal;

/**
 * What each client frame of the {@code /ws} protocol asks (docs/protocol.md), once {@link GatewayWebSocketHandler}
 * has it whole, within the session's rate and parsed as a JSON object with a string {@code type}. Every refusal is
 * an error frame naming the reason; the connection stays open.
 */
final class ClientFrames {

    private static final Logger log = LoggerFactory.getLogger(ClientFrames.class);

    private final AgentTokenVerifier verifier;
    private final ChannelAuthorizer authorizer;
    private final Fanout fanout;
    private final Sessions sessions;
    private final SignalPublisher signals;
    private final TypingLane typing;
    private final CommandIntake commands;
    private final RealtimeMetrics metrics;
    private final int maxChannels;

    ClientFrames(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout, Sessions sessions,
                 SignalPublisher signals, TypingLane typing, CommandIntake commands, RealtimeMetrics metrics,
                 int maxChannels) {
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.fanout = fanout;
        this.sessions = sessions;
        this.signals = signals;
        this.typing = typing;
        this.commands = commands;
        this.metrics = metrics;
        this.maxChannels = maxChannels;
    }

    void handle(ClientSession client, JsonNode frame, String type) {
        switch (type) {
            case "subscribe" -> subscribe(client, frame);
            case "unsubscribe" -> unsubscribe(client, frame);
            case "ping" -> client.send(Frames.pong());
            case "refresh" -> refresh(client, frame);
            case Signal.TYPING_START, Signal.TYPING_STOP -> typing(client, frame, type);
            case "presence" -> presence(client, frame);
            case "command" -> command(client, frame);
            default -> error(client, Frames.BAD_FRAME, "unknown frame type \"" + Frames.echo(type) + "\"");
        }
    }

    private void subscribe(ClientSession client, JsonNode frame) {
        String channel = string(client, frame, "channel");
        if (channel == null) {
            return;
        }
        Long since = null;
        JsonNode position = frame.get("since");
        if (position != null && !position.isNull()) {
            if (!position.isIntegralNumber() || !position.canConvertToLong() || position.longValue() < -1) {
                error(client, Frames.BAD_FRAME, "\"since\" must be a position: an integer, at least -1", channel);
                return;
            }
            since = position.longValue();
        }
        Optional<ChannelAccess> malformed = authorizer.refuseMalformed(channel);
        if (malformed.isPresent()) {
            error(client, Frames.BAD_CHANNEL, malformed.get().reason(), channel);
            return;
        }
        // counted before the authorization, so a session at its limit costs no PostgreSQL lookups; a channel
        // already followed is subscribed anew and takes no second place
        if (!client.isSubscribed(channel) && client.channelCount() >= maxChannels) {
            error(client, Frames.TOO_MANY_CHANNELS, "this session follows " + maxChannels
                    + " channels, the most allowed: unsubscribe one first", channel);
            return;
        }
        ChannelAccess access = authorizer.check(client.agent(), channel);
        switch (access.outcome()) {
            case GRANTED -> fanout.subscribe(client, List.of(channel), since);
            case BAD_CHANNEL -> error(client, Frames.BAD_CHANNEL, access.reason(), channel);
            case FORBIDDEN -> error(client, Frames.FORBIDDEN, access.reason(), channel);
            case UNAVAILABLE -> error(client, Frames.UNAVAILABLE, access.reason(), channel);
        }
    }

    private void unsubscribe(ClientSession client, JsonNode frame) {
        String channel = string(client, frame, "channel");
        if (channel != null) {
            fanout.unsubscribe(client, channel);
            client.send(Frames.unsubscribed(channel));
        }
    }

    /**
     * A newer token of the same user and empresa replaces the session's, before the old one expires. Channels the
     * new token no longer allows (a role taken away) are unsubscribed, each with a {@code forbidden} error.
     */
    private void refresh(ClientSession client, JsonNode frame) {
        String token = string(client, frame, "token");
        if (token == null) {
            return;
        }
        Agent refreshed;
        try {
            refreshed = verifier.verify(token);
            sessions.refresh(client, refreshed);
        } catch (InvalidAgentTokenException | IllegalArgumentException e) {
            error(client, Frames.REFRESH_REFUSED, e.getMessage());
            return;
        }
        client.send(Frames.refreshed(refreshed.expiresAt()));
        for (String channel : client.channels()) {
            ChannelAccess access = authorizer.check(refreshed, channel);
            if (access.outcome() == ChannelAccess.Outcome.FORBIDDEN) {
                fanout.unsubscribe(client, channel);
                error(client, Frames.FORBIDDEN, "no longer allowed by the refreshed token: " + access.reason(),
                        channel);
            }
        }
    }

    private void typing(ClientSession client, JsonNode frame, String type) {
        String conversaId = string(client, frame, "conversaId");
        if (conversaId == null) {
            return;
        }
        String channel = Channel.Kind.CONVERSA.prefix() + ":" + conversaId;
        if (!client.isSubscribed(channel)) {
            ChannelAccess access = authorizer.check(client.agent(), channel);
            if (access.outcome() == ChannelAccess.Outcome.BAD_CHANNEL) {
                error(client, Frames.BAD_FRAME, "\"conversaId\" is not a conversa id");
                return;
            }
            if (access.outcome() != ChannelAccess.Outcome.GRANTED) {
                error(client, access.outcome() == ChannelAccess.Outcome.UNAVAILABLE ? Frames.UNAVAILABLE
                        : Frames.FORBIDDEN, access.reason(), channel);
                return;
            }
        }
        Instant at = typing.report(client.id(), client.agent(), conversaId, type);
        if (at != null) {
            publish(client, type, conversaId, null, at);
        }
    }

    private void presence(ClientSession client, JsonNode frame) {
        String status = string(client, frame, "status");
        if (status == null) {
            return;
        }
        if (!PresenceStatus.ALL.contains(status)) {
            error(client, Frames.BAD_FRAME, "\"status\" must be one of disponivel, ausente, ocupado");
            return;
        }
        publish(client, Signal.STATUS_CHANGED, null, status, Instant.now());
    }

    private void publish(ClientSession client, String type, String conversaId, String status, Instant at) {
        signals.publish(type, client.id(), client.agent(), conversaId, status, at).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("signal {} of session {} not written: {}", type, client.id(), e.getMessage());
                error(client, Frames.UNAVAILABLE, "the signal could not be written, send it again");
            }
        });
    }

    /**
     * Answers {@code command_accepted} once Kafka has the command; what the command does arrives later as events
     * (a refusal as {@code command_rejected} on the issuer's {@code atendente:} channel).
     */
    private void command(ClientSession client, JsonNode frame) {
        commands.submit(client.agent(), frame).whenComplete((command, e) -> {
            if (e == null) {
                client.send(Frames.commandAccepted(command.commandId()));
                return;
            }
            CommandRefusedException refused = CommandRefusedException.of(e);
            String code = switch (refused.reason()) {
                case BAD_COMMAND -> Frames.BAD_COMMAND;
                case FOREIGN_CONVERSA -> Frames.FORBIDDEN;
                case UNAVAILABLE -> Frames.UNAVAILABLE;
            };
            send(client, code, Frames.commandError(code, refused.getMessage(), refused.commandId()));
        });
    }

    /** The frame's string field, or null after telling the client its frame lacks one. */
    private String string(ClientSession client, JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || !value.isString()) {
            error(client, Frames.BAD_FRAME, "\"" + frame.get("type").stringValue() + "\" needs a string \""
                    + field + "\"");
            return null;
        }
        return value.stringValue();
    }

    void error(ClientSession client, String code, String message) {
        send(client, code, Frames.error(code, message));
    }

    private void error(ClientSession client, String code, String message, String channel) {
        send(client, code, Frames.error(code, message, channel));
    }

    private void send(ClientSession client, String code, OutboundFrame frame) {
        metrics.error(code);
        client.send(frame);
    }
}
