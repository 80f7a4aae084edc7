package dev.chatcentral.gateway.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@code chat.events} is read.
 *
 * @param pollTimeout longest a poll waits for records; assignment changes interrupt it at once
 */
@ConfigurationProperties("chatcentral.gateway.delivery")
public record DeliveryProperties(@DefaultValue("500ms") Duration pollTimeout) {
}
