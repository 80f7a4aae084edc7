package dev.chatcentral.processor.conversa;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids derived from what identifies a thing in WhatsApp, never random: a replay of the same webhooks, or a
 * restore of the state stores, gives the same conversaId and mensagemId, so the sink and clients recognise them.
 */
public final class DeterministicIds {

    private DeterministicIds() {
    }

    /** {@code UUID.nameUUIDFromBytes("empresaId|instance|customerJid")}. */
    public static String conversaId(String empresaId, String instance, String customerJid) {
        return nameUuid(empresaId + "|" + instance + "|" + customerJid);
    }

    /** {@code UUID.nameUUIDFromBytes("empresaId|instance|keyId|fromMe")}, fromMe as {@code true}/{@code false}. */
    public static String mensagemId(String empresaId, String instance, String keyId, boolean fromMe) {
        return nameUuid(empresaId + "|" + instance + "|" + keyId + "|" + fromMe);
    }

    /** The id of an event a mensagem caused: one per mensagem and event type. */
    public static String eventId(String mensagemId, String eventType) {
        return mensagemId + ":" + eventType;
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
