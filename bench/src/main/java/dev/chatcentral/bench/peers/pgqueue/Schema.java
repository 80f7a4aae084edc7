package dev.chatcentral.bench.peers.pgqueue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The peer's tables, in its own database. conversa and mensagem are chat-central's V1 tables; the queue, its
 * dead letters and the bodies of large events are the original design's. Why each storage setting: README.
 */
final class Schema {

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS empresa_webhook_secret (
                empresa_id    text        NOT NULL,
                secret_sha256 bytea       NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (empresa_id, secret_sha256)
            );

            -- The hot queue: a row lives from the webhook's INSERT to the commit of the worker that handled it, so
            -- the primary key is the index of unfinished rows in claim order (README: why no other index).
            -- lane is a hash of the conversa (instance, remoteJid): a worker holds a lane while it handles it.
            CREATE TABLE IF NOT EXISTS webhook_queue (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                empresa_id      text        NOT NULL,
                lane            bigint      NOT NULL,
                payload         jsonb       NOT NULL,
                status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying')),
                attempts        integer     NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                last_error      text,
                created_at      timestamptz NOT NULL DEFAULT now()
            ) WITH (fillfactor = 70,
                    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000,
                    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000,
                    autovacuum_vacuum_cost_delay = 0);
            -- a row is claimable only when no earlier row of its lane is unfinished: one conversa, one row at a time
            CREATE INDEX IF NOT EXISTS webhook_queue_lane ON webhook_queue (lane, id);

            CREATE TABLE IF NOT EXISTS webhook_dead_letter (
                id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                queue_id     bigint      NOT NULL,
                empresa_id   text        NOT NULL,
                payload      jsonb       NOT NULL,
                attempts     integer     NOT NULL,
                error        text        NOT NULL,
                queued_at    timestamptz NOT NULL,
                failed_at    timestamptz NOT NULL DEFAULT now()
            );

            -- An event too large for a NOTIFY payload (8000 bytes): the NOTIFY carries its id, the relay reads it here.
            CREATE TABLE IF NOT EXISTS realtime_event_body (
                id         text        PRIMARY KEY,
                empresa_id text        NOT NULL,
                body       text        NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE IF NOT EXISTS conversa (
                id                    uuid PRIMARY KEY,
                empresa_id            text        NOT NULL,
                instance              text        NOT NULL,
                remote_jid            text        NOT NULL,
                remote_jid_alt        text,
                contact_name          text,
                status                text        NOT NULL CHECK (status IN ('aguardando', 'em_atendimento', 'encerrada')),
                atendente_id          text,
                unread_count          integer     NOT NULL DEFAULT 0,
                last_mensagem_preview text,
                last_mensagem_at      timestamptz,
                version               bigint      NOT NULL,
                created_at            timestamptz NOT NULL,
                updated_at            timestamptz NOT NULL
            ) WITH (fillfactor = 80);
            CREATE INDEX IF NOT EXISTS conversa_empresa_status ON conversa (empresa_id, status, last_mensagem_at DESC);
            CREATE INDEX IF NOT EXISTS conversa_empresa_atendente
                ON conversa (empresa_id, atendente_id, last_mensagem_at DESC);

            CREATE TABLE IF NOT EXISTS mensagem (
                id           uuid PRIMARY KEY,
                conversa_id  uuid        NOT NULL,
                empresa_id   text        NOT NULL,
                instance     text        NOT NULL,
                key_id       text        NOT NULL,
                from_me      boolean     NOT NULL,
                sender_jid   text,
                sender_name  text,
                message_type text        NOT NULL,
                text         text,
                status       text        NOT NULL,
                status_rank  smallint    NOT NULL,
                sent_at      timestamptz NOT NULL,
                received_at  timestamptz NOT NULL,
                queue_id     bigint      NOT NULL,
                UNIQUE (empresa_id, instance, key_id, from_me)
            );
            CREATE INDEX IF NOT EXISTS mensagem_conversa_time ON mensagem (conversa_id, sent_at);
            """;

    private Schema() {
    }

    /** Creates {@code database} on the server when missing, then its tables. */
    static void prepare(String jdbcUrl, String user) throws SQLException {
        int slash = jdbcUrl.lastIndexOf('/');
        String database = jdbcUrl.substring(slash + 1).split("\\?")[0];
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("the peer's database must be a plain lower-case name, not " + database);
        }
        try (Connection server = DriverManager.getConnection(jdbcUrl.substring(0, slash + 1) + "postgres", user, "")) {
            boolean exists;
            try (PreparedStatement p = server.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                p.setString(1, database);
                try (ResultSet r = p.executeQuery()) {
                    exists = r.next();
                }
            }
            if (!exists) {
                try (Statement s = server.createStatement()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, ""); Statement s = c.createStatement()) {
            s.execute(DDL);
        }
    }
}
