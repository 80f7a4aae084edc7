package dev.chatcentral.bench.peers.pgqueue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The empresas' webhook secrets: stored as SHA-256 in the peer's database and held in memory, as chat-central's
 * ingest holds its directory, so checking a webhook's Bearer secret costs no query. Secrets are issued through this
 * process's admin API only, so the memory copy is complete.
 */
final class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource database;
    private final Map<String, Set<ByteBuffer>> byEmpresa = new ConcurrentHashMap<>();

    WebhookSecrets(DataSource database) throws SQLException {
        this.database = database;
        try (Connection c = database.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT empresa_id, secret_sha256 FROM empresa_webhook_secret");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                remember(r.getString(1), r.getBytes(2));
            }
        }
    }

    boolean authenticates(String empresaId, String secret) {
        Set<ByteBuffer> secrets = byEmpresa.get(empresaId);
        return secrets != null && secret != null && secrets.contains(ByteBuffer.wrap(sha256(secret)));
    }

    /** A fresh secret for the empresa, stored before it is returned. */
    String issue(String empresaId) throws SQLException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] hash = sha256(secret);
        try (Connection c = database.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO empresa_webhook_secret (empresa_id, secret_sha256) VALUES (?, ?)")) {
            p.setString(1, empresaId);
            p.setBytes(2, hash);
            p.executeUpdate();
        }
        remember(empresaId, hash);
        return secret;
    }

    private void remember(String empresaId, byte[] hash) {
        byEmpresa.computeIfAbsent(empresaId, e -> ConcurrentHashMap.newKeySet()).add(ByteBuffer.wrap(hash));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
