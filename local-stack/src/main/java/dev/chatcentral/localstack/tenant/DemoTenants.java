package dev.chatcentral.localstack.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.localstack.postgres.Database;

/**
 * Seeds the demo empresas with their instances and a fresh webhook secret each run. Only the secret's SHA-256 is
 * stored (as the ingest expects); the secret itself exists only in this run's output and in the simulator's
 * environment. The empresas' older secrets are revoked, so yesterday's printed curl line stops working.
 */
public final class DemoTenants {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoTenants() {
    }

    /** Seeds every demo empresa in the stack's database and returns each one's new webhook secret. */
    public static Map<DemoEmpresa, String> seed(Database database) {
        try (Connection connection = database.connect()) {
            return seed(connection, DemoEmpresa.ALL);
        } catch (SQLException e) {
            throw new StackException("cannot seed the demo empresas: " + e.getMessage(), e);
        }
    }

    /** Seeds {@code empresas} in one transaction and returns each one's new webhook secret. */
    public static Map<DemoEmpresa, String> seed(Connection connection, List<DemoEmpresa> empresas)
            throws SQLException {
        Map<DemoEmpresa, String> secrets = new LinkedHashMap<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement empresa = connection.prepareStatement(
                        "INSERT INTO empresa (id, nome) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET nome = EXCLUDED.nome");
                PreparedStatement instance = connection.prepareStatement(
                        "INSERT INTO empresa_instance (empresa_id, instance) VALUES (?, ?) ON CONFLICT DO NOTHING");
                PreparedStatement revoke = connection.prepareStatement(
                        "UPDATE empresa_webhook_secret SET revoked_at = now() "
                                + "WHERE empresa_id = ? AND revoked_at IS NULL");
                PreparedStatement secret = connection.prepareStatement(
                        "INSERT INTO empresa_webhook_secret (empresa_id, secret_sha256) VALUES (?, ?)")) {
            for (DemoEmpresa demo : empresas) {
                empresa.setString(1, demo.id());
                empresa.setString(2, demo.nome());
                empresa.executeUpdate();
                instance.setString(1, demo.id());
                instance.setString(2, demo.instance());
                instance.executeUpdate();
                revoke.setString(1, demo.id());
                revoke.executeUpdate();
                String webhookSecret = newSecret();
                secret.setString(1, demo.id());
                secret.setBytes(2, sha256(webhookSecret));
                secret.executeUpdate();
                secrets.put(demo, webhookSecret);
            }
            connection.commit();
            return secrets;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** 32 random bytes, base64url: safe in a header, a URL and a shell line without quoting surprises. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
