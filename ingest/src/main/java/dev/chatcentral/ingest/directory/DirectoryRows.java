package dev.chatcentral.ingest.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry;
import dev.chatcentral.schemas.empresa.EmpresaDirectoryEntry.WebhookSecret;

/** The directory as PostgreSQL holds it: the source of truth, which {@code chat.empresas} announces. */
@Repository
class DirectoryRows {

    private final JdbcTemplate jdbc;

    DirectoryRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every empresa. */
    List<EmpresaDirectoryEntry> all() {
        return load("", new Object[0]);
    }

    /** One empresa, e.g. one a provisioning script wrote to PostgreSQL directly; empty when it does not exist. */
    Optional<EmpresaDirectoryEntry> one(String empresaId) {
        return load(" WHERE e.id = ?", new Object[] {empresaId}).stream().findFirst();
    }

    /**
     * Marks a change of the empresa's directory, in the transaction that makes it: the entry published after it
     * carries a higher version than any before.
     */
    void bumpVersion(String empresaId) {
        jdbc.update("UPDATE empresa SET directory_version = directory_version + 1 WHERE id = ?", empresaId);
    }

    private List<EmpresaDirectoryEntry> load(String where, Object[] args) {
        Map<String, Long> versions = new LinkedHashMap<>();
        Map<String, List<String>> instances = new LinkedHashMap<>();
        Map<String, List<WebhookSecret>> secrets = new LinkedHashMap<>();
        jdbc.query("SELECT e.id, e.directory_version FROM empresa e" + where, rs -> {
            versions.put(rs.getString(1), rs.getLong(2));
            instances.put(rs.getString(1), new ArrayList<>());
            secrets.put(rs.getString(1), new ArrayList<>());
        }, args);
        jdbc.query("SELECT i.empresa_id, i.instance FROM empresa_instance i JOIN empresa e ON e.id = i.empresa_id"
                + where + " ORDER BY i.instance", rs -> {
            List<String> list = instances.get(rs.getString(1));
            if (list != null) {
                list.add(rs.getString(2));
            }
        }, args);
        jdbc.query("SELECT s.empresa_id, s.id, s.secret_sha256, s.secret_encrypted FROM empresa_webhook_secret s "
                + "JOIN empresa e ON e.id = s.empresa_id" + (where.isEmpty() ? " WHERE" : where + " AND")
                + " s.revoked_at IS NULL ORDER BY s.id", rs -> {
            List<WebhookSecret> list = secrets.get(rs.getString(1));
            if (list != null) {
                list.add(new WebhookSecret(rs.getLong(2), rs.getBytes(3), rs.getBytes(4)));
            }
        }, args);
        List<EmpresaDirectoryEntry> entries = new ArrayList<>(versions.size());
        versions.forEach((id, version) -> entries.add(new EmpresaDirectoryEntry(id, version, instances.get(id),
                secrets.get(id))));
        return entries;
    }
}
