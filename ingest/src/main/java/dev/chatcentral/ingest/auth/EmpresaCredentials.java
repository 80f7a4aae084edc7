package dev.chatcentral.ingest.auth;

import java.util.List;
import java.util.Set;

/**
 * What the ingest knows of one empresa: the SHA-256 of each live webhook secret, the secrets themselves where they
 * are stored encrypted (to verify Evolution's JWTs), and its WhatsApp instances.
 */
record EmpresaCredentials(List<byte[]> secretHashes, List<byte[]> jwtKeys, Set<String> instances) {
}
