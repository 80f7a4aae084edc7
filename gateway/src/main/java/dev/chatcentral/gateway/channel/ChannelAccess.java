package dev.chatcentral.gateway.channel;

import dev.chatcentral.schemas.event.Channel;

/**
 * The answer to "may this agent subscribe to this channel?".
 *
 * @param channel the parsed channel when {@code outcome} is {@link Outcome#GRANTED}, else null
 * @param reason  why it was refused, for the client; null when granted
 */
public record ChannelAccess(Outcome outcome, Channel channel, String reason) {

    public enum Outcome {
        GRANTED,
        /** The text is not {@code kind:id} with one of the four kinds. */
        BAD_CHANNEL,
        /** Well-formed, but not this agent's to see. */
        FORBIDDEN,
        /** Could not be decided now (PostgreSQL did not answer); asking again may succeed. */
        UNAVAILABLE
    }

    static ChannelAccess granted(Channel channel) {
        return new ChannelAccess(Outcome.GRANTED, channel, null);
    }

    static ChannelAccess refused(Outcome outcome, String reason) {
        return new ChannelAccess(outcome, null, reason);
    }
}
