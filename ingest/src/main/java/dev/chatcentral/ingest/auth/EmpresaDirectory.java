package dev.chatcentral.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * The whole directory is reloaded periodically; an unknown empresa also triggers a reload, at most once per
 * second, so a newly created empresa is accepted at once without letting unknown ids hammer the database.
 */
@Component
public class EmpresaDirectory {

    private static final Logger log = LoggerFactory.getLogger(EmpresaDirectory.class);
    private static final long MIN_RELOAD_GAP_NANOS = Duration.ofSeconds(1).toNanos();

    private final JdbcTemplate jdbc;
    private final AtomicLong lastReload = new AtomicLong(System.nanoTime() - MIN_RELOAD_GAP_NANOS);
    private volatile Map<String, EmpresaCredentials> empresas = Map.of();

    public EmpresaDirectory(JdbcTemplate jdbc, TaskScheduler scheduler, IngestProperties properties) {
        this.jdbc = jdbc;
        reload();
        scheduler.scheduleWithFixedDelay(this::scheduledReload,
                Instant.now().plus(properties.secretRefreshInterval()), properties.secretRefreshInterval());
    }

    /** Whether {@code presentedSecret} is one of the empresa's live webhook secrets. */
    public boolean authenticate(String empresaId, String presentedSecret) {
        EmpresaCredentials credentials = lookup(empresaId);
        if (credentials == null) {
            return false;
        }
        byte[] presented = sha256(presentedSecret);
        boolean matches = false;
        for (byte[] hash : credentials.secretHashes()) {
            // no early exit: the time taken does not tell which secret (or how much of one) matched
            matches |= MessageDigest.isEqual(presented, hash);
        }
        return matches;
    }

    /** Whether the WhatsApp instance is one of the empresa's, so one tenant cannot write into another's. */
    public boolean ownsInstance(String empresaId, String instance) {
        EmpresaCredentials credentials = lookup(empresaId);
        return credentials != null && credentials.instances().contains(instance);
    }

    private EmpresaCredentials lookup(String empresaId) {
        EmpresaCredentials credentials = empresas.get(empresaId);
        if (credentials == null && reloadIfAllowed()) {
            credentials = empresas.get(empresaId);
        }
        return credentials;
    }

    private void scheduledReload() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("cannot reload empresa directory, keeping the previous one: {}", e.getMessage());
        }
    }

    private boolean reloadIfAllowed() {
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

    private void reload() {
        Map<String, EmpresaCredentials> loaded = new HashMap<>();
        jdbc.query("SELECT id FROM empresa", rs -> {
            loaded.put(rs.getString(1), new EmpresaCredentials(new ArrayList<>(), new HashSet<>()));
        });
        jdbc.query("SELECT empresa_id, secret_sha256 FROM empresa_webhook_secret WHERE revoked_at IS NULL", rs -> {
            EmpresaCredentials c = loaded.get(rs.getString(1));
            if (c != null) {
                c.secretHashes().add(rs.getBytes(2));
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

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
