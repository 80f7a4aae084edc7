package dev.chatcentral.processor.conversa;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
     * userId|commandId")}, so the same command gives the same mensagem, a colleague's command with the same
     * client-made id another one, and none collides with a WhatsApp-keyed one.
     */
    public static String outboundMensagemId(String empresaId, String userId, String commandId) {
        return nameUuid("outbound|" + empresaId + "|" + userId + "|" + commandId);
    }

    /**
     * What names the effects of an atendente's command in event ids: a commandId is made by the client, so it is
     * unique only for its user.
     */
    public static String commandCause(String empresaId, String userId, String commandId) {
        return nameUuid("command|" + empresaId + "|" + userId + "|" + commandId);
    }

    /** What names the effects of a dispatch result (one per send: its mensagem and its commandId) in event ids. */
    public static String resultCause(String empresaId, String mensagemId, String sendCommandId) {
        return nameUuid("result|" + empresaId + "|" + mensagemId + "|" + sendCommandId);
    }

    /** The cause of automatic assignment's handing out one conversa at one version: its events' ids. */
    public static String assignmentCause(String empresaId, String conversaId, long version) {
        return nameUuid("assignment|" + empresaId + "|" + conversaId + "|" + version);
    }

    /**
     * The cause of one SLA clock's events: the conversa's clock of one kind started at one moment, so its warning
     * and its breach each have one id, whichever punctuation finds them.
     */
    public static String slaCause(String empresaId, String conversaId, String kind, Instant startedAt) {
        return nameUuid("sla|" + empresaId + "|" + conversaId + "|" + kind + "|" + startedAt);
    }

    /** The id of an event a mensagem (or a command) caused: one per cause and event type. */
    public static String eventId(String mensagemId, String eventType) {
        return mensagemId + ":" + eventType;
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
