package dev.chatcentral.processor.monitoring;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the queue metrics.
 *
 * @param refreshInterval how often consumer lag is read from the broker and the per-minute rates are sampled
 */
@ConfigurationProperties("chatcentral.monitoring")
public record MonitoringProperties(@DefaultValue("10s") Duration refreshInterval) {
}
