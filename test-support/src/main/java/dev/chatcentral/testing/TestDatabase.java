package dev.chatcentral.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway database on the machine's real PostgreSQL (or on another server, {@link #createOn}), created empty
 * for one test class and dropped after it, so tests never see each other's rows and never touch a database they
 * did not create.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String SERVER = System.getProperty("chatcentral.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getProperty("chatcentral.test.postgres-user", "postgres");

    private final String server;
    private final String user;
    private final String password;
    private final String name;

    private TestDatabase(String server, String user, String password, String name) {
        this.server = server;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    public static TestDatabase create() {
        return createOn(SERVER, USER, "");
    }

    /**
     * A throwaway database on the server at {@code server} ({@code jdbc:postgresql://host:port/}), made by
     * {@code user}, who may create databases (a PostgreSQL container's, say).
     */
    public static TestDatabase createOn(String server, String user, String password) {
        if (server == null || !server.startsWith("jdbc:postgresql://") || !server.endsWith("/")) {
            throw new IllegalArgumentException("a PostgreSQL server is jdbc:postgresql://host:port/, not " + server);
        }
        String name = "cc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(server + "postgres", user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + server
                    + " (is PostgreSQL running? see .ci/run)", e);
        }
        return new TestDatabase(server, user, password, name);
    }

    public String jdbcUrl() {
        return server + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /**
     * Registers an empresa with one WhatsApp instance and one live webhook secret, as an operator would. Needs the
     * schema migrated (a service started on this database runs Flyway).
     */
    public void seedEmpresa(String empresaId, String instance, String webhookSecret) {
        try (Connection c = connect()) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO empresa (id, nome) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
                p.setString(1, empresaId);
                p.setString(2, "Empresa " + empresaId);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO empresa_instance (empresa_id, instance) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                p.setString(1, empresaId);
                p.setString(2, instance);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO empresa_webhook_secret (empresa_id, secret_sha256) VALUES (?, ?)")) {
                p.setString(1, empresaId);
                p.setBytes(2, sha256(webhookSecret));
                p.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed empresa " + empresaId, e);
        }
    }

    /**
     * A waiting conversa of the empresa (instance loja-01, one customer), as the stream-processor's sink would have
     * written it, for tests of what reads conversas (channel access, commands, REST); returns its id.
     */
    public String seedConversa(String empresaId) {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO conversa (id, empresa_id, instance, remote_jid, status, version, created_at, updated_at)"
                + " VALUES (?, ?, 'loja-01', '5511999990000@s.whatsapp.net', 'aguardando', 1, now(), now())",
                id, empresaId);
        return id.toString();
    }

    /** Runs a statement that returns nothing, with its arguments. */
    public void execute(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    /** Runs a query that returns one number, e.g. a count of rows. */
    public long queryForLong(String sql, Object... args) {
        return queryForOne(sql, args, rs -> rs.getLong(1));
    }

    /** Runs a query that returns one text value. */
    public String queryForString(String sql, Object... args) {
        return queryForOne(sql, args, rs -> rs.getString(1));
    }

    private interface Column<T> {
        T read(java.sql.ResultSet rs) throws SQLException;
    }

    private <T> T queryForOne(String sql, Object[] args, Column<T> column) {
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (var rs = p.executeQuery()) {
                rs.next();
                return column.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(server + "postgres", user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
