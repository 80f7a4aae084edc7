package dev.chatcentral.processor.presence;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import tools.jackson.core.JacksonException;

import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.signal.Signal;

/** Reads signals and heartbeats from their bytes, and refuses those that miss what their type needs. */
final class SignalParser {

    private static final Set<String> TYPES = Set.of(Signal.SESSION_OPENED, Signal.SESSION_CLOSED,
            Signal.TYPING_START, Signal.TYPING_STOP, Signal.STATUS_CHANGED);

    private SignalParser() {
    }

    static Signal signal(String key, byte[] value) throws InvalidSignalException {
        if (value == null) {
            throw new InvalidSignalException("empty signal");
        }
        Signal signal;
        try {
            signal = Json.MAPPER.readValue(value, Signal.class);
        } catch (JacksonException e) {
            throw new InvalidSignalException("not a signal JSON: " + e.getOriginalMessage());
        }
        if (signal == null || !TYPES.contains(signal.type())) {
            throw new InvalidSignalException("unknown signal type " + (signal == null ? null : signal.type())
                    + ", expected one of " + TYPES);
        }
        channelId(signal.empresaId(), "empresaId");
        if (!signal.empresaId().equals(key)) {
            throw new InvalidSignalException("record key " + key + " differs from empresaId " + signal.empresaId());
        }
        required(signal.userId(), "userId");
        if (signal.ts() == null) {
            throw new InvalidSignalException("signal without \"ts\"");
        }
        switch (signal.type()) {
            case Signal.SESSION_OPENED, Signal.SESSION_CLOSED -> {
                roles(signal.roles());
                required(signal.nodeId(), "nodeId");
                required(signal.sessionId(), "sessionId");
                if (signal.type().equals(Signal.SESSION_OPENED) && signal.bootEpoch() == null) {
                    throw new InvalidSignalException("session_opened without the node's \"bootEpoch\"");
                }
            }
            case Signal.TYPING_START, Signal.TYPING_STOP -> conversaId(signal.conversaId());
            default -> {
                if (!PresenceStatus.ALL.contains(signal.status())) {
                    throw new InvalidSignalException("status " + signal.status() + " is not one of "
                            + PresenceStatus.ALL);
                }
            }
        }
        return signal;
    }

    /** Roles are kept in the users store and every snapshot of the empresa: a few short names, or none. */
    private static void roles(List<String> roles) throws InvalidSignalException {
        if (roles == null) {
            return;
        }
        if (roles.size() > Signal.MAX_ROLES) {
            throw new InvalidSignalException("more than " + Signal.MAX_ROLES + " \"roles\"");
        }
        for (String role : roles) {
            required(role, "roles[]");
            if (role.length() > Signal.MAX_ROLE_LENGTH || role.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidSignalException("a role is longer than " + Signal.MAX_ROLE_LENGTH
                        + " characters or holds control characters");
            }
        }
    }

    /** The heartbeat, or null for a tombstone (the node stopped cleanly). */
    static NodeHeartbeat heartbeat(String key, byte[] value) throws InvalidSignalException {
        if (value == null) {
            return null;
        }
        NodeHeartbeat heartbeat;
        try {
            heartbeat = Json.MAPPER.readValue(value, NodeHeartbeat.class);
        } catch (JacksonException e) {
            throw new InvalidSignalException("not a heartbeat JSON: " + e.getOriginalMessage());
        }
        if (heartbeat == null) {
            throw new InvalidSignalException("not a heartbeat JSON: null");
        }
        required(heartbeat.nodeId(), "nodeId");
        if (!Objects.equals(key, heartbeat.nodeId())) {
            throw new InvalidSignalException("record key " + key + " differs from nodeId " + heartbeat.nodeId());
        }
        if (heartbeat.ts() == null) {
            throw new InvalidSignalException("heartbeat without \"ts\"");
        }
        return heartbeat;
    }

    private static void required(String value, String field) throws InvalidSignalException {
        if (value == null || value.isBlank()) {
            throw new InvalidSignalException("missing \"" + field + "\"");
        }
    }

    /**
     * A conversa id must name a channel a client can follow (docs/protocol.md, Channels): typing on any other would
     * be written, on both lanes, for nobody.
     */
    private static void conversaId(String value) throws InvalidSignalException {
        channelId(value, "conversaId");
        if (value.length() > Channel.MAX_ID_LENGTH) {
            throw new InvalidSignalException("\"conversaId\" is longer than " + Channel.MAX_ID_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSignalException("\"conversaId\" holds control characters");
        }
    }

    /** Ids that end up in a channel name ({@code presence:}, {@code conversa:}) cannot hold a colon. */
    private static void channelId(String value, String field) throws InvalidSignalException {
        required(value, field);
        if (value.indexOf(':') >= 0) {
            throw new InvalidSignalException("\"" + field + "\" must not contain ':'");
        }
    }
}
