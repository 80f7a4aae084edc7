package dev.chatcentral.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;

/**
 * The empresas, their instances and webhook secrets, held in memory so a webhook costs no database round trip.
 * The whole directory is reloaded periodically. A miss (unknown empresa, or a secret that matches none) also
 * triggers a reload, at most once per second across all requests: a secret just created on another node is then
 * accepted at once, which matters because Evolution never retries a 401, while unknown ids cannot hammer the
 * database.
 */
@Component
public class EmpresaDirectory {

    private static final Logger log = LoggerFactory.getLogger(EmpresaDirectory.class);
    private static final long MIN_RELOAD_GAP_NANOS = Duration.ofSeconds(1).toNanos();

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final AtomicLong lastReload = new AtomicLong(System.nanoTime() - MIN_RELOAD_GAP_NANOS);
    private volatile Map<String, EmpresaCredentials> empresas = Map.of();

    public EmpresaDirectory(JdbcTemplate jdbc, SecretCipher cipher, TaskScheduler scheduler,
                            IngestProperties properties) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        reload();
        scheduler.scheduleWithFixedDelay(this::scheduledReload,
                Instant.now().plus(properties.secretRefreshInterval()), properties.secretRefreshInterval());
    }

    /** Whether {@code presentedSecret} is one of the empresa's live webhook secrets. */
    public boolean authenticate(String empresaId, String presentedSecret) {
        byte[] presented = sha256(presentedSecret);
        return matches(empresas.get(empresaId), presented)
                || (reloadIfAllowed() && matches(empresas.get(empresaId), presented));
    }

    /** The empresa's secrets usable as HS256 keys, for the JWT form of Evolution's authentication. */
    public List<byte[]> jwtKeys(String empresaId) {
        EmpresaCredentials credentials = empresas.get(empresaId);
        return credentials == null ? List.of() : credentials.jwtKeys();
    }

    /** Reloads now if no reload happened in the last second; true if it did. */
    public boolean reloadIfAllowed() {
        long last = lastReload.get();
        long now = System.nanoTime();
        if (now - last < MIN_RELOAD_GAP_NANOS || !lastReload.compareAndSet(last, now)) {
            return false;
        }
        try {
            reload();
            return true;
        } catch (RuntimeException e) {
            log.warn("cannot reload empresa directory: {}", e.getMessage());
            return false;
        }
    }

    /** Whether the WhatsApp instance is one of the empresa's, so one tenant cannot write into another's. */
    public boolean ownsInstance(String empresaId, String instance) {
        EmpresaCredentials credentials = empresas.get(empresaId);
        if (credentials == null || !credentials.instances().contains(instance)) {
            reloadIfAllowed();
            credentials = empresas.get(empresaId);
        }
        return credentials != null && credentials.instances().contains(instance);
    }

    /** Reloads at once; the admin API calls it after a change so this node sees the change immediately. */
    public void reload() {
        Map<String, EmpresaCredentials> loaded = new HashMap<>();
        jdbc.query("SELECT id FROM empresa", rs -> {
            loaded.put(rs.getString(1), new EmpresaCredentials(new ArrayList<>(), new ArrayList<>(), new HashSet<>()));
        });
        jdbc.query("SELECT empresa_id, secret_sha256, secret_encrypted FROM empresa_webhook_secret "
                + "WHERE revoked_at IS NULL", rs -> {
            EmpresaCredentials c = loaded.get(rs.getString(1));
            if (c == null) {
                return;
            }
            c.secretHashes().add(rs.getBytes(2));
            byte[] sealed = rs.getBytes(3);
            if (sealed != null) {
                try {
                    c.jwtKeys().add(cipher.decrypt(sealed).getBytes(StandardCharsets.UTF_8));
                } catch (GeneralSecurityException e) {
                    log.error("a webhook secret of empresa {} cannot be decrypted with the configured key; "
                            + "its JWT form is refused", rs.getString(1));
                }
            }
        });
        jdbc.query("SELECT empresa_id, instance FROM empresa_instance", rs -> {
            EmpresaCredentials c = loaded.get(rs.getString(1));
            if (c != null) {
                c.instances().add(rs.getString(2));
            }
        });
        empresas = Map.copyOf(loaded);
        lastReload.set(System.nanoTime());
    }

    private void scheduledReload() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("cannot reload empresa directory, keeping the previous one: {}", e.getMessage());
        }
    }

    private static boolean matches(EmpresaCredentials credentials, byte[] presented) {
        if (credentials == null) {
            return false;
        }
        boolean matches = false;
        for (byte[] hash : credentials.secretHashes()) {
            // no early exit: the time taken does not tell which secret (or how much of one) matched
            matches |= MessageDigest.isEqual(presented, hash);
        }
        return matches;
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
