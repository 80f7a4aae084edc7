package dev.chatcentral.simulator.sendtext;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulated sendText.
 *
 * @param globalApikey the global API key ({@code AUTHENTICATION_API_KEY} in Evolution), accepted for every instance
 *                     besides each instance's own token; the default is the one the local stack's dispatcher uses
 * @param behaviors    behavior per instance at startup (e.g. {@code ...behaviors.loja-01.mode=server_error}),
 *                     changed at run time through {@code PUT /simulator/instances/{instance}/behavior}
 * @param loggedCalls  how many calls per instance {@code GET /simulator/instances/{instance}/calls} remembers
 */
@ConfigurationProperties("chatcentral.simulator.send-text")
public record SendTextProperties(
        String globalApikey,
        @DefaultValue Map<String, Behavior> behaviors,
        @DefaultValue("1000") int loggedCalls) {

    public SendTextProperties {
        if (globalApikey == null || globalApikey.isBlank()) {
            throw new IllegalArgumentException("chatcentral.simulator.send-text.global-apikey must not be blank");
        }
        if (loggedCalls < 1) {
            throw new IllegalArgumentException("chatcentral.simulator.send-text.logged-calls must be at least 1, was "
                    + loggedCalls);
        }
        behaviors = Map.copyOf(behaviors);
    }
}
