package dev.chatcentral.gateway.settings;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param timeout how long reading an empresa's settings from {@code chat.empresa.settings}, or writing a change and
 *                waiting for Kafka's acknowledgement, may take before the caller is told {@code unavailable}
 *                (env SETTINGS_TIMEOUT)
 */
@ConfigurationProperties("chatcentral.gateway.settings")
public record SettingsProperties(Duration timeout) {

    public SettingsProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.settings.timeout must be positive, was " + timeout);
        }
    }
}
