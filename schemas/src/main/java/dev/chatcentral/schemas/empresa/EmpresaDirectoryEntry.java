package dev.chatcentral.schemas.empresa;

import java.util.List;

/**
 * One empresa as every ingest node must know it to accept its webhooks, as kept in the compacted
 * {@code chat.empresas} (key = empresaId): its WhatsApp instances and its live webhook secrets. The admin API writes
 * one after every change it makes in PostgreSQL, so a change made through one node is known to all within
 * milliseconds.
 *
 * @param version grows by one at each change of the empresa (its row's {@code directory_version}): a reader keeps the
 *                highest it saw, so two changes published by two nodes in the other order still end as the later
 * @param webhookSecrets the live ones; a revoked secret is simply no longer listed
 */
public record EmpresaDirectoryEntry(String empresaId, long version, List<String> instances,
                                    List<WebhookSecret> webhookSecrets) {

    public EmpresaDirectoryEntry {
        instances = List.copyOf(instances);
        webhookSecrets = List.copyOf(webhookSecrets);
    }

    /**
     * @param sha256    the secret's SHA-256, which the Bearer form is checked against
     * @param encrypted the secret sealed with the ingest's AES-GCM key, for the JWT form (whose check needs the
     *                  secret itself); null for secrets stored before it was kept
     */
    public record WebhookSecret(long secretId, byte[] sha256, byte[] encrypted) {
    }
}
