package dev.chatcentral.bench.peers.pgqueue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Where a webhook belongs: its conversa's id, and the queue lane that keeps that conversa's webhooks in order. */
final class Conversas {

    private Conversas() {
    }

    static UUID conversaId(String empresaId, String instance, String remoteJid) {
        return UUID.nameUUIDFromBytes(("conversa\0" + empresaId + "\0" + instance + "\0" + remoteJid)
                .getBytes(StandardCharsets.UTF_8));
    }

    static UUID mensagemId(String empresaId, String instance, String keyId, boolean fromMe) {
        return UUID.nameUUIDFromBytes(("mensagem\0" + empresaId + "\0" + instance + "\0" + keyId + "\0" + fromMe)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The lane of a webhook: its conversa's, when the body names one (messages.upsert's key.remoteJid,
     * messages.update's remoteJid); otherwise the empresa's own lane, so a malformed body holds back nothing else.
     */
    static long lane(String empresaId, JsonNode webhook) {
        JsonNode data = webhook.path("data");
        JsonNode jid = data.path("key").path("remoteJid");
        if (!jid.isString()) {
            jid = data.path("remoteJid");
        }
        JsonNode instance = webhook.path("instance");
        if (jid.isString() && instance.isString()) {
            return conversaId(empresaId, instance.asString(), jid.asString()).getMostSignificantBits();
        }
        return UUID.nameUUIDFromBytes(("empresa\0" + empresaId).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
    }
}
