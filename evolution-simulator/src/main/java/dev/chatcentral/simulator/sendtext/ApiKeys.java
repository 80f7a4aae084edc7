package dev.chatcentral.simulator.sendtext;

import org.springframework.stereotype.Component;

import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/** Evolution's {@code apikey} header check: the instance's own token or the global key. */
@Component
public class ApiKeys {

    private final String globalApikey;

    ApiKeys(SendTextProperties properties) {
        this.globalApikey = properties.globalApikey();
    }

    public boolean accepts(String instance, String apikey) {
        return EvolutionPayloads.apikey(instance).equals(apikey) || globalApikey.equals(apikey);
    }
}
