package dev.chatcentral.processor.webhook;

import static dev.chatcentral.processor.webhook.JsonFields.firstText;
import static dev.chatcentral.processor.webhook.JsonFields.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;
import dev.chatcentral.processor.webhook.ParsedWebhook.ConnectionUpdate;
import dev.chatcentral.processor.webhook.ParsedWebhook.ContactName;
import dev.chatcentral.processor.webhook.ParsedWebhook.ContactNames;
import dev.chatcentral.processor.webhook.ParsedWebhook.HistorySync;
import dev.chatcentral.processor.webhook.ParsedWebhook.Presence;
import dev.chatcentral.processor.webhook.ParsedWebhook.PresenceUpdate;
import dev.chatcentral.processor.webhook.ParsedWebhook.Receipt;
import dev.chatcentral.processor.webhook.ParsedWebhook.Revoke;
import dev.chatcentral.processor.webhook.ParsedWebhook.TargetKey;
import dev.chatcentral.processor.webhook.ParsedWebhook.Unhandled;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.evolution.EvolutionWebhook;
import dev.chatcentral.schemas.serde.Json;

/**
 * Turns the bytes of a {@code chat.webhooks} record into the domain event it carries (reference/evolution-api.md).
 * What can never be processed throws {@link InvalidWebhookException} with the reason.
 */
public final class WebhookParser {

    /** Baileys' numeric receipt statuses, which some Evolution versions pass through unnamed. */
    private static final MensagemStatus[] NUMERIC_STATUS = {MensagemStatus.ERROR, MensagemStatus.PENDING,
            MensagemStatus.SERVER_ACK, MensagemStatus.DELIVERY_ACK, MensagemStatus.READ, MensagemStatus.PLAYED};

    /** The status Evolution gives a message deleted for everyone. */
    private static final String DELETED = "DELETED";

    private WebhookParser() {
    }

    public static ParsedWebhook parse(byte[] value) {
        EvolutionWebhook webhook = readEnvelope(value);
        return switch (webhook.event()) {
            case EvolutionEvent.MESSAGES_UPSERT -> message(webhook, null);
            case EvolutionEvent.SEND_MESSAGE -> message(webhook, MensagemStatus.PENDING.name());
            case EvolutionEvent.MESSAGES_UPDATE -> receipt(webhook);
            case EvolutionEvent.MESSAGES_EDITED -> MensagemChangeParser.edited(webhook);
            case EvolutionEvent.MESSAGES_DELETE -> MensagemChangeParser.deleted(webhook);
            case EvolutionEvent.PRESENCE_UPDATE -> presence(webhook);
            case EvolutionEvent.CONNECTION_UPDATE -> connection(webhook);
            case EvolutionEvent.CONTACTS_UPSERT, EvolutionEvent.CONTACTS_UPDATE -> contacts(webhook);
            case EvolutionEvent.MESSAGES_SET, EvolutionEvent.MESSAGING_HISTORY_SET ->
                    new HistorySync(webhook.instance(), webhook.event());
            default -> new Unhandled(webhook.instance(), webhook.event());
        };
    }

    /** A message, or the change to another one that a reaction or a protocol message is. */
    private static ParsedWebhook message(EvolutionWebhook webhook, String defaultStatus) {
        ParsedWebhook change = MensagemChangeParser.fromMessage(webhook);
        return change != null ? change : MessageUpsertParser.parse(webhook, defaultStatus);
    }

    private static EvolutionWebhook readEnvelope(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidWebhookException("record has no value");
        }
        EvolutionWebhook webhook;
        try {
            webhook = Json.MAPPER.readValue(value, EvolutionWebhook.class);
        } catch (JacksonException e) {
            throw new InvalidWebhookException("not a webhook JSON object: " + e.getOriginalMessage(), e);
        }
        if (webhook == null || webhook.event() == null || webhook.event().isBlank()) {
            throw new InvalidWebhookException("webhook has no event");
        }
        return webhook;
    }

    static String instance(EvolutionWebhook webhook) {
        String instance = JsonFields.identifier(webhook.instance(), "instance");
        if (instance == null) {
            throw new InvalidWebhookException("webhook has no instance");
        }
        return instance;
    }

    /** One object; a one-element array is taken too, as some versions batch updates. */
    static JsonNode single(EvolutionWebhook webhook) {
        JsonNode data = webhook.data();
        if (data != null && data.isArray() && data.size() == 1) {
            data = data.get(0);
        }
        if (data == null || !data.isObject()) {
            throw new InvalidWebhookException(webhook.event() + " has no data object");
        }
        return data;
    }

    /** A receipt; a {@code DELETED} status is Evolution's word for a revoke. */
    private static ParsedWebhook receipt(EvolutionWebhook webhook) {
        String instance = instance(webhook);
        JsonNode data = single(webhook);
        // Evolution 2.x flattens the key; older ones nest it like an upsert
        JsonNode key = data.path("key").isObject() ? data.path("key") : data;
        String keyId = JsonFields.identifier(firstText(text(data, "keyId"), text(key, "id")), "data.keyId");
        if (keyId == null) {
            throw new InvalidWebhookException("messages.update has no data.keyId");
        }
        String remoteJid = JsonFields.identifier(text(key, "remoteJid"), "data.remoteJid");
        if (remoteJid == null) {
            throw new InvalidWebhookException("messages.update has no data.remoteJid");
        }
        JsonNode statusNode = data.path("status").isMissingNode() ? data.path("update").path("status")
                : data.path("status");
        Boolean fromMe = JsonFields.bool(key, "fromMe", "data.fromMe");
        if (statusNode.isString() && DELETED.equalsIgnoreCase(statusNode.stringValue().trim())) {
            return new Revoke(instance, new TargetKey(keyId, fromMe, remoteJid));
        }
        return new Receipt(instance, keyId, fromMe, remoteJid, status(statusNode));
    }

    private static MensagemStatus status(JsonNode node) {
        // Jackson 3's intValue() throws on a number beyond an int: such a status is unknown, not a failure of ours
        if (node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0
                && node.intValue() < NUMERIC_STATUS.length) {
            return NUMERIC_STATUS[node.intValue()];
        }
        if (node.isString()) {
            MensagemStatus named = MensagemStatus.evolutionNamed(node.stringValue().trim().toUpperCase(Locale.ROOT));
            if (named != null) {
                return named;
            }
        }
        throw new InvalidWebhookException("messages.update has no known data.status: " + node);
    }

    private static PresenceUpdate presence(EvolutionWebhook webhook) {
        String instance = instance(webhook);
        JsonNode data = single(webhook);
        String chatJid = JsonFields.identifier(text(data, "id"), "data.id");
        if (chatJid == null) {
            throw new InvalidWebhookException("presence.update has no data.id");
        }
        JsonNode presences = data.path("presences");
        if (!presences.isObject()) {
            throw new InvalidWebhookException("presence.update has no data.presences object");
        }
        List<Presence> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : presences.properties()) {
            String presence = text(entry.getValue(), "lastKnownPresence");
            // one participant with a malformed id or state says nothing about the others
            if (Texts.isIdentifier(entry.getKey()) && Texts.isIdentifier(presence)) {
                entries.add(new Presence(entry.getKey(), presence.toLowerCase(Locale.ROOT)));
            }
        }
        return new PresenceUpdate(instance, chatJid, List.copyOf(entries));
    }

    private static ConnectionUpdate connection(EvolutionWebhook webhook) {
        JsonNode data = single(webhook);
        String instance = JsonFields.identifier(firstText(webhook.instance(), text(data, "instance")), "instance");
        if (instance == null) {
            throw new InvalidWebhookException("webhook has no instance");
        }
        String state = JsonFields.identifier(text(data, "state"), "data.state");
        if (state == null) {
            throw new InvalidWebhookException("connection.update has no data.state");
        }
        String wuid = text(data, "wuid");
        return new ConnectionUpdate(instance, state, JsonFields.integer(data, "statusReason"),
                Texts.isIdentifier(wuid) ? wuid : null,
                Texts.bounded(text(data, "profileName"), FieldLimits.NAME).value());
    }

    /** An array of contacts, or one contact; each with {@code remoteJid} or {@code id}, and a name field. */
    private static ContactNames contacts(EvolutionWebhook webhook) {
        String instance = instance(webhook);
        JsonNode data = webhook.data();
        if (data == null || !(data.isArray() || data.isObject())) {
            throw new InvalidWebhookException(webhook.event() + " has no data array or object");
        }
        List<ContactName> contacts = new ArrayList<>();
        for (JsonNode contact : data.isArray() ? data.values() : List.of(data)) {
            String jid = firstText(text(contact, "remoteJid"), text(contact, "id"));
            String name = firstText(firstText(text(contact, "pushName"), text(contact, "name")),
                    firstText(text(contact, "notify"), text(contact, "verifiedName")));
            // a contact with a malformed id is skipped: the others in the same batch are still named
            if (Texts.isIdentifier(jid) && name != null) {
                String kept = Texts.bounded(name.strip(), FieldLimits.NAME).value();
                if (!kept.isBlank()) {
                    contacts.add(new ContactName(jid, kept));
                }
            }
        }
        return new ContactNames(instance, List.copyOf(contacts));
    }
}
