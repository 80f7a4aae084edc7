package dev.chatcentral.simulator.sendtext;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.instance.EmpresaWebhooks;
import dev.chatcentral.simulator.instance.MessageStore;
import dev.chatcentral.simulator.webhook.ActionPayloads;
import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * What happens once the instance sent something, like WhatsApp and Evolution: the message is stored (findMessages
 * finds it from then on) and reported to the instance's empresa: {@code send.message}, then for a text to a person
 * the receipts DELIVERY_ACK and READ as {@code messages.update}; a deletion for everyone as {@code messages.delete}.
 */
@Component
class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final Duration DELIVERED_AFTER = Duration.ofSeconds(1);
    private static final Duration READ_AFTER = Duration.ofSeconds(3);

    private final MessageStore store;
    private final EmpresaWebhooks webhooks;
    private final TaskScheduler scheduler;

    Outbox(MessageStore store, EmpresaWebhooks webhooks, TaskScheduler scheduler) {
        this.store = store;
        this.webhooks = webhooks;
        this.scheduler = scheduler;
    }

    /** A text or reaction the instance sent; {@code receipts} plays the customer's phone receiving and reading it. */
    void sent(String instance, ObjectNode sent, boolean receipts) {
        String keyId = sent.at("/key/id").asString();
        String remoteJid = sent.at("/key/remoteJid").asString();
        store.add(instance, sent);
        webhooks.post(instance, EvolutionPayloads.sendMessage(instance, sent));
        if (receipts && remoteJid.endsWith(EvolutionPayloads.PERSONAL_JID_SUFFIX)) {
            String phone = remoteJid.substring(0, remoteJid.length() - EvolutionPayloads.PERSONAL_JID_SUFFIX.length());
            receipt(instance, phone, keyId, EvolutionPayloads.STATUS_DELIVERY_ACK, DELIVERED_AFTER);
            receipt(instance, phone, keyId, EvolutionPayloads.STATUS_READ, READ_AFTER);
        }
        log.info("{} sent {} to {}", instance, keyId, remoteJid);
    }

    /** A deletion for everyone of the message {@code targetKey}: {@code revoke} is the protocol message sent. */
    void revoked(String instance, ObjectNode revoke, ObjectNode targetKey) {
        store.add(instance, revoke);
        store.receipt(instance, targetKey.get("id").asString(), "DELETED");
        webhooks.post(instance, ActionPayloads.messagesDelete(instance, targetKey));
        log.info("{} deleted {} for everyone", instance, targetKey.get("id").asString());
    }

    private void receipt(String instance, String phone, String keyId, String status, Duration after) {
        scheduler.schedule(() -> {
            store.receipt(instance, keyId, status);
            webhooks.post(instance, EvolutionPayloads.receipt(instance, phone, keyId, status));
        }, Instant.now().plus(after));
    }
}
