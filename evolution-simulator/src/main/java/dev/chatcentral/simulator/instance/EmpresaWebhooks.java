package dev.chatcentral.simulator.instance;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.SimulatorProperties;
import dev.chatcentral.simulator.SimulatorProperties.Target;
import dev.chatcentral.simulator.webhook.Delivery;
import dev.chatcentral.simulator.webhook.WebhookSender;

/**
 * The one way webhooks leave the simulator: to the instance's empresa ({@link Targets}), with its secret, unless the
 * instance is {@link Silence silent}. Nothing is posted for an instance without a target.
 */
@Component
public class EmpresaWebhooks {

    private final SimulatorProperties properties;
    private final WebhookSender sender;
    private final Targets targets;
    private final Silence silence;

    EmpresaWebhooks(SimulatorProperties properties, WebhookSender sender, Targets targets, Silence silence) {
        this.properties = properties;
        this.sender = sender;
        this.targets = targets;
        this.silence = silence;
    }

    /** Posts to the instance's empresa; empty when the instance has no target or is silent. */
    public Optional<CompletableFuture<Delivery>> post(String instance, ObjectNode envelope) {
        return targets.byInstance(instance).flatMap(target -> post(target, envelope));
    }

    /** Posts to {@code target}; empty when its instance is silent. */
    public Optional<CompletableFuture<Delivery>> post(Target target, ObjectNode envelope) {
        if (silence.isSilent(target.instance())) {
            return Optional.empty();
        }
        URI url = WebhookSender.webhookUrl(properties.ingestUrl(), target.empresaId(),
                envelope.get("event").asString(), properties.byEvents());
        return Optional.of(sender.send(url, target.secret(), envelope));
    }

    /** Posts to {@code target} and waits for the webhook's fate; empty when its instance is silent. */
    public Optional<Delivery> deliver(Target target, ObjectNode envelope) {
        Optional<CompletableFuture<Delivery>> posted = post(target, envelope);
        try {
            return posted.map(CompletableFuture::join);
        } catch (CompletionException e) {
            return Optional.of(new Delivery(Delivery.NO_RESPONSE, 1, String.valueOf(e.getCause())));
        }
    }
}
