package dev.chatcentral.simulator.traffic;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.SimulatorProperties;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.webhook.Delivery;
import dev.chatcentral.simulator.webhook.WebhookSender;

/** Posts a webhook to the ingest for one of the configured targets, with its secret, as Evolution would. */
@Component
class TargetPoster {

    private final SimulatorProperties properties;
    private final WebhookSender sender;

    TargetPoster(SimulatorProperties properties, WebhookSender sender) {
        this.properties = properties;
        this.sender = sender;
    }

    /** The target whose WhatsApp instance is {@code instance}, if one is configured. */
    Optional<Target> byInstance(String instance) {
        return properties.targets().stream().filter(t -> t.instance().equals(instance)).findFirst();
    }

    CompletableFuture<Delivery> post(Target target, ObjectNode envelope) {
        URI url = WebhookSender.webhookUrl(properties.ingestUrl(), target.empresaId(),
                envelope.get("event").asString(), properties.byEvents());
        return sender.send(url, target.secret(), envelope);
    }
}
