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

    /**
     * The mensagem an atendente's {@code send_message} appends: {@code UUID.nameUUIDFromBytes("outbound|empresaId|
     * commandId")}, so the same command gives the same mensagem, and it never collides with a WhatsApp-keyed one.
     */
    public static String outboundMensagemId(String empresaId, String commandId) {
        return nameUuid("outbound|" + empresaId + "|" + commandId);
    }

    /** What names the effects of an atendente's command in event ids; the client's commandId is unique per empresa only. */
    public static String commandCause(String empresaId, String commandId) {
        return nameUuid("command|" + empresaId + "|" + commandId);
    }

    /** What names the effects of a dispatch result (one per send, that is per send's commandId) in event ids. */
    public static String resultCause(String empresaId, String sendCommandId) {
        return nameUuid("result|" + empresaId + "|" + sendCommandId);
    }

    /** The id of an event a mensagem (or a command) caused: one per cause and event type. */
    public static String eventId(String mensagemId, String eventType) {
        return mensagemId + ":" + eventType;
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
