package dev.chatcentral.ingest.admin;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;

import dev.chatcentral.ingest.auth.SecretCipher;
import dev.chatcentral.ingest.directory.DirectoryChanges;
import dev.chatcentral.ingest.directory.DirectoryChanges.Change;
import dev.chatcentral.ingest.directory.EmpresaDirectory;
import dev.chatcentral.service.management.ManagementApi;

/**
 * The operator's API for tenants: register an empresa and its WhatsApp instances, issue and revoke webhook
 * secrets. A new secret does not revoke the old ones, so a secret is rotated without losing a webhook: issue the
 * new one, configure it in Evolution, revoke the old one. A secret is shown once, when issued; only its hash and
 * its encrypted form are stored. Served on the management port only, behind its token ({@code ADMIN_API_TOKEN}).
 */
@ManagementApi
@RequestMapping("/admin/empresas")
public class EmpresaAdminController {

    /** Ids travel in channel names ({@code empresa:{id}}) and URLs: no colon, slash or space. */
    private static final Pattern EMPRESA_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9_.@-]{1,100}");

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;
    private final DirectoryChanges changes;
    private final SecureRandom random = new SecureRandom();

    public EmpresaAdminController(JdbcTemplate jdbc, SecretCipher cipher, DirectoryChanges changes) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.changes = changes;
    }

    /** The body of {@code PUT /admin/empresas/{id}}. */
    public record EmpresaRequest(String nome) {
    }

    @PutMapping("/{empresaId}")
    public ResponseEntity<Map<String, Object>> putEmpresa(@PathVariable String empresaId,
                                                          @RequestBody(required = false) EmpresaRequest body) {
        ResponseEntity<Map<String, Object>> refused = refuseBadId(empresaId);
        if (refused != null) {
            return refused;
        }
        if (body == null || body.nome() == null || body.nome().isBlank() || body.nome().length() > 200) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "body must be {\"nome\": \"<1 to 200 chars>\"}");
        }
        Change<Integer> saved = changes.change(empresaId, () -> jdbc.update("INSERT INTO empresa (id, nome) "
                + "VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET nome = EXCLUDED.nome", empresaId, body.nome()));
        return ResponseEntity.ok(announced(saved, Map.of("empresaId", empresaId, "nome", body.nome())));
    }

    @GetMapping("/{empresaId}")
    public ResponseEntity<Map<String, Object>> getEmpresa(@PathVariable String empresaId) {
        ResponseEntity<Map<String, Object>> refused = refuseBadId(empresaId);
        if (refused != null) {
            return refused;
        }
        List<String> nome = jdbc.queryForList("SELECT nome FROM empresa WHERE id = ?", String.class, empresaId);
        if (nome.isEmpty()) {
            return unknownEmpresa(empresaId);
        }
        List<String> instances = jdbc.queryForList(
                "SELECT instance FROM empresa_instance WHERE empresa_id = ? ORDER BY instance", String.class, empresaId);
        List<Map<String, Object>> secrets = jdbc.queryForList("SELECT id AS \"secretId\", created_at AS \"createdAt\", "
                + "secret_encrypted IS NOT NULL AS \"jwtCapable\" FROM empresa_webhook_secret "
                + "WHERE empresa_id = ? AND revoked_at IS NULL ORDER BY id", empresaId);
        return ResponseEntity.ok(Map.of("empresaId", empresaId, "nome", nome.get(0), "instances", instances,
                "webhookSecrets", secrets));
    }

    @PutMapping("/{empresaId}/instances/{instance}")
    public ResponseEntity<Map<String, Object>> putInstance(@PathVariable String empresaId, @PathVariable String instance) {
        ResponseEntity<Map<String, Object>> refused = refuseBadId(empresaId);
        if (refused != null) {
            return refused;
        }
        if (!INSTANCE.matcher(instance).matches()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "instance must match " + INSTANCE.pattern());
        }
        if (!exists(empresaId)) {
            return unknownEmpresa(empresaId);
        }
        Change<Integer> saved;
        try {
            // attaching it again to its own empresa is a no-op; to another, the one-owner constraint refuses it
            saved = changes.change(empresaId, () -> jdbc.update("INSERT INTO empresa_instance (empresa_id, instance) "
                    + "VALUES (?, ?) ON CONFLICT (empresa_id, instance) DO NOTHING", empresaId, instance));
        } catch (DuplicateKeyException e) {
            return error(HttpStatus.CONFLICT, "instance_taken", "instance '" + instance + "' belongs to another "
                    + "empresa; detach it there first");
        }
        return ResponseEntity.ok(announced(saved, Map.of("empresaId", empresaId, "instance", instance)));
    }

    @DeleteMapping("/{empresaId}/instances/{instance}")
    public ResponseEntity<Map<String, Object>> deleteInstance(@PathVariable String empresaId, @PathVariable String instance) {
        ResponseEntity<Map<String, Object>> refused = refuseBadId(empresaId);
        if (refused != null) {
            return refused;
        }
        Change<Integer> removed = changes.change(empresaId, () -> jdbc.update(
                "DELETE FROM empresa_instance WHERE empresa_id = ? AND instance = ?", empresaId, instance));
        return removed.result() == 0
                ? error(HttpStatus.NOT_FOUND, "not_found", "empresa '" + empresaId + "' has no instance '" + instance + "'")
                : ResponseEntity.noContent().build();
    }

    /** Issues a new secret; the ones issued before stay valid until revoked. */
    @PostMapping("/{empresaId}/webhook-secrets")
    public ResponseEntity<Map<String, Object>> issueSecret(@PathVariable String empresaId) {
        ResponseEntity<Map<String, Object>> refused = refuseBadId(empresaId);
        if (refused != null) {
            return refused;
        }
        if (!exists(empresaId)) {
            return unknownEmpresa(empresaId);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        // 32 random bytes: strong enough as a bearer secret and long enough to be an HS256 key
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Change<Map<String, Object>> row = changes.change(empresaId, () -> jdbc.queryForMap(
                "INSERT INTO empresa_webhook_secret (empresa_id, secret_sha256, secret_encrypted) VALUES (?, ?, ?) "
                        + "RETURNING id, created_at", empresaId, EmpresaDirectory.sha256(secret),
                cipher.encrypt(secret)));
        return ResponseEntity.status(HttpStatus.CREATED).body(announced(row, Map.of("empresaId", empresaId,
                "secretId", row.result().get("id"), "secret", secret,
                "createdAt", ((Timestamp) row.result().get("created_at")).toInstant().toString())));
    }

    @DeleteMapping("/{empresaId}/webhook-secrets/{secretId}")
    public ResponseEntity<Map<String, Object>> revokeSecret(@PathVariable String empresaId, @PathVariable long secretId) {
        ResponseEntity<Map<String, Object>> refused = refuseBadId(empresaId);
        if (refused != null) {
            return refused;
        }
        Change<Integer> revoked = changes.change(empresaId, () -> jdbc.update("UPDATE empresa_webhook_secret "
                + "SET revoked_at = now() WHERE id = ? AND empresa_id = ? AND revoked_at IS NULL", secretId, empresaId));
        return revoked.result() == 0
                ? error(HttpStatus.NOT_FOUND, "not_found", "no live webhook secret " + secretId + " of '" + empresaId + "'")
                : ResponseEntity.noContent().build();
    }

    private static ResponseEntity<Map<String, Object>> refuseBadId(String empresaId) {
        if (!EMPRESA_ID.matcher(empresaId).matches()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "empresaId must match " + EMPRESA_ID.pattern());
        }
        return null;
    }

    /**
     * The answer's body, saying so when the change is saved but could not be announced to the other nodes at once
     * (they learn it at their next miss of the empresa or their next full reload).
     */
    private static Map<String, Object> announced(Change<?> change, Map<String, Object> body) {
        if (change.announced()) {
            return body;
        }
        Map<String, Object> warned = new LinkedHashMap<>(body);
        warned.put("announced", false);
        return warned;
    }

    private boolean exists(String empresaId) {
        return !jdbc.queryForList("SELECT 1 FROM empresa WHERE id = ?", Integer.class, empresaId).isEmpty();
    }

    private static ResponseEntity<Map<String, Object>> unknownEmpresa(String empresaId) {
        return error(HttpStatus.NOT_FOUND, "not_found", "no empresa '" + empresaId + "'");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String reason) {
        return ResponseEntity.status(status).body(Map.of("error", error, "reason", reason));
    }
}
