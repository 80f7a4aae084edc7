package dev.chatcentral.bench.peers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.chatcentral.bench.gateway.SubscribedClients;

/**
 * A system that takes Evolution webhooks over HTTP and pushes each customer mensagem to the empresa's WebSocket
 * clients as a {@code message_notification} naming {@code data.mensagem.keyId}: chat-central, or peer A. The side by
 * side harness drives both through this alone, so they get the same load and the same clients.
 */
interface WebhookPipeline extends AutoCloseable {

    /** The name in tables and charts. */
    String name();

    /** Where {@code POST /webhooks/evolution/{empresaId}} is served. */
    InetSocketAddress webhooks();

    /** Makes the empresa with its Evolution instance known, as an operator would; returns its webhook secret. */
    String createEmpresa(String empresaId, String instance) throws Exception;

    /** How an agent's connection subscribes to everything of {@code empresaId}. */
    SubscribedClients.Plan subscriber(String userId, String empresaId, InetAddress local);
}
