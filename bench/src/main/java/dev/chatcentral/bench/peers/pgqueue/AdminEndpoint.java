package dev.chatcentral.bench.peers.pgqueue;

import java.sql.SQLException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The three calls of chat-central's admin API the benchmarks make (bench/ingest/IngestAdmin), so one harness sets up
 * both: the empresa and its instance exist implicitly here; only the webhook secret is state.
 */
@RestController
class AdminEndpoint {

    private static final String EMPRESA_ID = "[A-Za-z0-9._-]{1,64}";

    private final WebhookSecrets secrets;
    private final String adminToken;

    AdminEndpoint(WebhookSecrets secrets, PeerSettings settings) {
        this.secrets = secrets;
        this.adminToken = "Bearer " + settings.adminToken();
    }

    @PutMapping({"/admin/empresas/{empresaId}", "/admin/empresas/{empresaId}/instances/{instance}"})
    ResponseEntity<Map<String, Object>> declare(@PathVariable String empresaId,
                                                @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                                String authorization) {
        ResponseEntity<Map<String, Object>> refusal = refusal(empresaId, authorization);
        return refusal != null ? refusal : ResponseEntity.ok(Map.of("empresaId", empresaId));
    }

    @PostMapping("/admin/empresas/{empresaId}/webhook-secrets")
    ResponseEntity<Map<String, Object>> issueSecret(@PathVariable String empresaId,
                                                    @RequestHeader(value = HttpHeaders.AUTHORIZATION,
                                                            required = false) String authorization)
            throws SQLException {
        ResponseEntity<Map<String, Object>> refusal = refusal(empresaId, authorization);
        return refusal != null ? refusal
                : ResponseEntity.status(HttpStatus.CREATED).body(Map.of("secret", secrets.issue(empresaId)));
    }

    private ResponseEntity<Map<String, Object>> refusal(String empresaId, String authorization) {
        if (!adminToken.equals(authorization)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(Map.of("error", "unauthorized", "reason", "Authorization: Bearer <ADMIN_API_TOKEN> required"));
        }
        if (!empresaId.matches(EMPRESA_ID)) {
            return ResponseEntity.badRequest()
                    .body(Map.of("error", "invalid_empresa", "reason", "an empresa id is 1-64 of [A-Za-z0-9._-]"));
        }
        return null;
    }
}
