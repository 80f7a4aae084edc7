package dev.chatcentral.gateway.channel;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import dev.chatcentral.gateway.auth.Agent;
import dev.chatcentral.gateway.auth.Role;
import dev.chatcentral.schemas.event.Channel;

/**
 * Decides which channels an agent may subscribe to (tenant isolation): its own empresa's {@code empresa:} and
 * {@code presence:}, its own {@code atendente:} (supervisors and admins: any atendente's), and {@code conversa:}
 * of conversas its empresa owns. Everything of another empresa is refused.
 */
@Component
public class ChannelAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(ChannelAuthorizer.class);

    private final ConversaDirectory conversas;

    public ChannelAuthorizer(ConversaDirectory conversas) {
        this.conversas = conversas;
    }

    /**
     * Refuses text that is not a channel, looking at nothing but the text, so callers can turn it away before any
     * other check (a limit, a PostgreSQL lookup); empty when the text is well-formed.
     */
    public Optional<ChannelAccess> refuseMalformed(String channelName) {
        Optional<Channel> parsed = Channel.parse(channelName);
        if (parsed.isEmpty()) {
            return Optional.of(ChannelAccess.refused(ChannelAccess.Outcome.BAD_CHANNEL, "channel must be"
                    + " atendente:{userId}, conversa:{conversaId}, empresa:{empresaId} or presence:{empresaId}"));
        }
        String id = parsed.get().id();
        if (id.length() > Channel.MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(ChannelAccess.refused(ChannelAccess.Outcome.BAD_CHANNEL,
                    "channel id must be at most " + Channel.MAX_ID_LENGTH + " characters, without control characters"));
        }
        return Optional.empty();
    }

    public ChannelAccess check(Agent agent, String channelName) {
        Optional<ChannelAccess> malformed = refuseMalformed(channelName);
        if (malformed.isPresent()) {
            return malformed.get();
        }
        Channel channel = Channel.parse(channelName).orElseThrow();
        return switch (channel.kind()) {
            case EMPRESA, PRESENCE -> channel.id().equals(agent.empresaId())
                    ? ChannelAccess.granted(channel)
                    : ChannelAccess.refused(ChannelAccess.Outcome.FORBIDDEN, "channel belongs to another empresa");
            case ATENDENTE -> channel.id().equals(agent.userId()) || agent.hasRole(Role.SUPERVISOR)
                    || agent.hasRole(Role.ADMIN)
                    ? ChannelAccess.granted(channel)
                    : ChannelAccess.refused(ChannelAccess.Outcome.FORBIDDEN,
                            "only supervisors and admins may follow another atendente");
            case CONVERSA -> conversa(agent, channel);
        };
    }

    private ChannelAccess conversa(Agent agent, Channel channel) {
        try {
            // Same answer for "another empresa's" and "does not exist", so a client cannot probe other tenants.
            return conversas.belongsTo(channel.id(), agent.empresaId())
                    ? ChannelAccess.granted(channel)
                    : ChannelAccess.refused(ChannelAccess.Outcome.FORBIDDEN, "no such conversa in your empresa");
        } catch (DataAccessException e) {
            log.warn("cannot check conversa {} for empresa {}: {}", channel.id(), agent.empresaId(), e.getMessage());
            return ChannelAccess.refused(ChannelAccess.Outcome.UNAVAILABLE,
                    "cannot check the conversa now, try again");
        }
    }
}
