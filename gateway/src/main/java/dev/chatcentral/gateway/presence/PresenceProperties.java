package dev.chatcentral.gateway.presence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param snapshotTimeout longest a subscribe to {@code presence:} or a REST read of presence waits for this node to
 *                        catch up with {@code chat.presence} (env PRESENCE_SNAPSHOT_TIMEOUT); past it the client
 *                        gets {@code unavailable}
 */
@ConfigurationProperties("chatcentral.gateway.presence")
public record PresenceProperties(Duration snapshotTimeout) {
}
