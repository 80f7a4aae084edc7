package dev.chatcentral.simulator.sendtext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.simulator.request.Fields;
import dev.chatcentral.simulator.request.InvalidRequest;
import dev.chatcentral.simulator.webhook.ActionPayloads;

/** Reads the key of the message a reaction or deletion is about: {@code {"remoteJid","fromMe","id","participant"?}}. */
final class TargetKeys {

    private TargetKeys() {
    }

    /** The key in {@code node}, which the request calls {@code name}. */
    static ObjectNode of(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequest(name + " is required: {\"remoteJid\",\"fromMe\",\"id\"}");
        }
        ObjectNode key = ActionPayloads.key(Fields.jid(node, "remoteJid"), Fields.bool(node, "fromMe"),
                Fields.keyId(node, "id"));
        if (node.hasNonNull("participant")) {
            key.put("participant", Fields.jid(node, "participant"));
        }
        return key;
    }
}
