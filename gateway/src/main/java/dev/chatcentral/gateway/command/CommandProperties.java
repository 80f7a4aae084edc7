package dev.chatcentral.gateway.command;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param ackTimeout how long a command may wait for Kafka's acknowledgement before the client is told
 *                   {@code unavailable} (env COMMAND_ACK_TIMEOUT); the producer gives up on the record at the same
 *                   time, so a command refused as unavailable is rarely written later, and never acted on twice
 *                   when the client sends it again with the same commandId
 */
@ConfigurationProperties("chatcentral.gateway.command")
public record CommandProperties(Duration ackTimeout) {

    public CommandProperties {
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.command.ack-timeout must be positive, was "
                    + ackTimeout);
        }
    }
}
