package dev.chatcentral.gateway.channel;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Which empresa a conversa belongs to, from the PostgreSQL record the stream-processor's sink keeps. */
@Component
public class ConversaDirectory {

    private final JdbcTemplate jdbc;

    public ConversaDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Whether {@code conversaId} is a conversa of {@code empresaId}. A conversa not (yet) in the table is not,
     * and neither is an id that is not a UUID, since conversa ids are.
     *
     * @throws org.springframework.dao.DataAccessException when PostgreSQL cannot answer
     */
    public boolean belongsTo(String conversaId, String empresaId) {
        UUID id;
        try {
            id = UUID.fromString(conversaId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM conversa WHERE id = ? AND empresa_id = ?)", Boolean.class, id, empresaId));
    }
}
