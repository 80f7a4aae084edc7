package dev.chatcentral.ingest.directory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.chatcentral.ingest.IngestProperties;
import dev.chatcentral.ingest.auth.SecretCipher;
import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry;
import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry.WebhookSecret;
import dev.chatcentral.schemas.topic.TopicCatalog;

/**
 * The empresas, their instances and webhook secrets, held in memory so a webhook costs no database round trip.
 *
 * <p>It is fed three ways. {@code chat.empresas}, which the admin API of every node writes after each change, is read
 * continuously, so a change made through any node is known here within milliseconds. PostgreSQL is read whole at
 * start and every {@code SECRET_REFRESH_INTERVAL}, the safety net for a missed announcement. And a webhook this node
 * cannot accept yet (an unknown empresa or instance, a secret that matches none) waits for the stream to catch up to
 * its end, then looks the empresa up in PostgreSQL, where a provisioning script may have written it a moment ago:
 * Evolution never retries a 401, so a new empresa's first webhooks must not be refused because this node has not
 * heard of it yet. Those lookups are few at a time, so unknown ids cannot hammer the database.
 */
@Component
public class EmpresaDirectory implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmpresaDirectory.class);
    /** Longest a webhook waits for this node to read {@code chat.empresas} to its end. */
    private static final Duration CATCH_UP = Duration.ofSeconds(1);
    /** Database lookups of missed empresas at once, and how long one waits for its turn. */
    private static final int LOOKUPS = 4;
    private static final Duration LOOKUP_WAIT = Duration.ofMillis(200);

    private final DirectoryRows rows;
    private final SecretCipher cipher;
    private final DirectoryStream stream;
    private final Semaphore lookups = new Semaphore(LOOKUPS);
    /** The lookup running for each empresa: a flood of one empresa's misses shares one, leaving the others free. */
    private final Map<String, CompletableFuture<Void>> lookingUp = new ConcurrentHashMap<>();
    private final Map<String, EmpresaCredentials> empresas = new ConcurrentHashMap<>();
    private volatile boolean running;

    public EmpresaDirectory(DirectoryRows rows, SecretCipher cipher, KafkaProperties kafka, TaskScheduler scheduler,
                            IngestProperties properties, TopicCatalog catalog) {
        this.rows = rows;
        this.cipher = cipher;
        rows.all().forEach(this::apply);
        this.stream = new DirectoryStream(kafka, catalog, this::apply);
        scheduler.scheduleWithFixedDelay(this::reloadAll,
                Instant.now().plus(properties.secretRefreshInterval()), properties.secretRefreshInterval());
    }

    /** Whether {@code presentedSecret} is one of the empresa's live webhook secrets. */
    public boolean authenticate(String empresaId, String presentedSecret) {
        byte[] presented = sha256(presentedSecret);
        return known(empresaId, credentials -> matches(credentials, presented));
    }

    /**
     * Whether one of the empresa's secrets, used as an HS256 key, verifies the token: the JWT form of Evolution's
     * authentication.
     */
    public boolean anyJwtKey(String empresaId, Predicate<byte[]> verifies) {
        return known(empresaId, credentials -> credentials.jwtKeys().stream().anyMatch(verifies));
    }

    /** Whether the WhatsApp instance is one of the empresa's, so one tenant cannot write into another's. */
    public boolean ownsInstance(String empresaId, String instance) {
        return known(empresaId, credentials -> credentials.instances().contains(instance));
    }

    /** Takes an entry, from the stream, the database or the admin API: the highest version of each empresa wins. */
    public void apply(EmpresaDirectoryEntry entry) {
        EmpresaCredentials credentials = credentials(entry);
        empresas.merge(entry.empresaId(), credentials,
                (known, fresh) -> fresh.version() >= known.version() ? fresh : known);
    }

    /**
     * Whether the empresa, as known, passes {@code check}; if it does not, first after catching up with the stream,
     * then after looking it up in PostgreSQL.
     */
    private boolean known(String empresaId, Predicate<EmpresaCredentials> check) {
        if (passes(empresaId, check)) {
            return true;
        }
        if (stream.awaitCaughtUp(CATCH_UP) && passes(empresaId, check)) {
            return true;
        }
        lookUp(empresaId);
        return passes(empresaId, check);
    }

    private boolean passes(String empresaId, Predicate<EmpresaCredentials> check) {
        EmpresaCredentials credentials = empresas.get(empresaId);
        return credentials != null && check.test(credentials);
    }

    private void lookUp(String empresaId) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = lookingUp.putIfAbsent(empresaId, mine);
        if (running != null) {
            try {
                running.get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("the lookup of empresa {} did not end in time", empresaId);
            }
            return;
        }
        try {
            lookUpAlone(empresaId);
        } finally {
            lookingUp.remove(empresaId, mine);
            mine.complete(null);
        }
    }

    private void lookUpAlone(String empresaId) {
        try {
            if (!lookups.tryAcquire(LOOKUP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.debug("no database lookup free for empresa {}", empresaId);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            Optional<EmpresaDirectoryEntry> entry = rows.one(empresaId);
            entry.ifPresent(this::apply);
        } catch (RuntimeException e) {
            log.warn("cannot look empresa {} up in PostgreSQL: {}", empresaId, e.getMessage());
        } finally {
            lookups.release();
        }
    }

    private void reloadAll() {
        try {
            rows.all().forEach(this::apply);
        } catch (RuntimeException e) {
            log.warn("cannot reload the empresa directory, keeping the one held: {}", e.getMessage());
        }
    }

    private EmpresaCredentials credentials(EmpresaDirectoryEntry entry) {
        List<byte[]> hashes = new ArrayList<>();
        List<byte[]> jwtKeys = new ArrayList<>();
        for (WebhookSecret secret : entry.webhookSecrets()) {
            hashes.add(secret.sha256());
            if (secret.encrypted() != null) {
                try {
                    jwtKeys.add(cipher.decrypt(secret.encrypted()).getBytes(StandardCharsets.UTF_8));
                } catch (GeneralSecurityException e) {
                    log.error("webhook secret {} of empresa {} cannot be decrypted with the configured key; its JWT "
                            + "form is refused", secret.secretId(), entry.empresaId());
                }
            }
        }
        return new EmpresaCredentials(entry.version(), List.copyOf(hashes), List.copyOf(jwtKeys),
                new HashSet<>(entry.instances()));
    }

    private static boolean matches(EmpresaCredentials credentials, byte[] presented) {
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

    /** Reads {@code chat.empresas} once the topics exist, before the web server takes webhooks. */
    @Override
    public void start() {
        stream.start();
        running = true;
    }

    @Override
    public void stop() {
        stream.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }
}
