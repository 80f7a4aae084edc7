package dev.chatcentral.ingest.directory;

import java.util.List;
import java.util.Set;

/**
 * What the ingest knows of one empresa: the SHA-256 of each live webhook secret, the secrets themselves where they
 * are stored encrypted (to verify Evolution's JWTs), its WhatsApp instances, and the version they are at.
 */
record EmpresaCredentials(long version, List<byte[]> secretHashes, List<byte[]> jwtKeys, Set<String> instances) {
}
