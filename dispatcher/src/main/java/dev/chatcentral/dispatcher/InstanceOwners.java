package dev.chatcentral.dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which empresa each WhatsApp instance belongs to now ({@code empresa_instance}, one owner each), so a reply is sent
 * only from a number of the empresa whose atendente wrote it: a conversa keeps its instance, and an instance moved to
 * another empresa since must not carry the old empresa's replies. Looked up at most every few seconds per instance.
 */
final class InstanceOwners {

    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private record Owner(String empresaId, long readAtNanos) {
    }

    private final JdbcTemplate jdbc;
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();

    InstanceOwners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean owns(String empresaId, String instance) {
        Owner owner = owners.get(instance);
        if (owner == null || System.nanoTime() - owner.readAtNanos() > FRESH_FOR.toNanos()) {
            List<String> found = jdbc.queryForList("SELECT empresa_id FROM empresa_instance WHERE instance = ?",
                    String.class, instance);
            owner = new Owner(found.isEmpty() ? null : found.get(0), System.nanoTime());
            owners.put(instance, owner);
        }
        return empresaId.equals(owner.empresaId());
    }
}
