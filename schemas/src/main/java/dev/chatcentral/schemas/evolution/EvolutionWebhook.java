package dev.chatcentral.schemas.evolution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * The envelope Evolution API posts to a webhook (reference/evolution-api.md), as kept in {@code chat.webhooks}.
 * {@code data} stays a JSON tree: its shape depends on {@code event}, and the stream processor interprets it.
 * {@code apikey} is a secret and is redacted by the ingest before the record is written anywhere.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvolutionWebhook(
        String event,
        String instance,
        JsonNode data,
        String destination,
        @JsonProperty("date_time") String dateTime,
        String sender,
        @JsonProperty("server_url") String serverUrl,
        String apikey) {

    public EvolutionWebhook withoutApikey() {
        return new EvolutionWebhook(event, instance, data, destination, dateTime, sender, serverUrl, null);
    }
}
