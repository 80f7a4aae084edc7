package dev.chatcentral.processor.monitoring;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the queue metrics.
 *
 * @param refreshInterval how often consumer lag is read from the broker and the per-minute rates are sampled
 */
@ConfigurationProperties("chatcentral.monitoring")
public record MonitoringProperties(Duration refreshInterval) {
}
