package dev.chatcentral.localstack.postgres;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import dev.chatcentral.localstack.StackException;

/**
 * The machine's PostgreSQL (not started by the stack: it is shared) and the {@code chatcentral} database in it.
 * The schema is migrated here with the same Flyway migrations the services run, so the demo empresas can be seeded
 * before any service starts; the services' own Flyway then finds nothing to do.
 */
public final class Database {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    public static final String NAME = "chatcentral";

    private final String name;
    private final String user;
    private final String password;

    /** The stack's database, {@value #NAME}. */
    public Database(String user, String password) {
        this(NAME, user, password);
    }

    /** Another database of the same server: the cluster keeps its data apart from the stack's. */
    public Database(String name, String user, String password) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain PostgreSQL database name: " + name);
        }
        this.name = name;
        this.user = user;
        this.password = password;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return jdbcUrl(name);
    }

    /** The same database reached through another port on this host, e.g. a proxy in front of the server. */
    public String jdbcUrlThrough(int port) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** Fails with the command that starts PostgreSQL on this machine when nothing answers on its port. */
    public void ensureReachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            throw new StackException("PostgreSQL does not answer at " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "). Start it with:\n    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        }
    }

    /** Creates the database when it does not exist yet (connected to the {@code postgres} database). */
    public void ensureDatabase() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                PreparedStatement exists = connection.prepareStatement(
                        "SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + name);
            }
            System.out.println("  created database " + name);
        } catch (SQLException e) {
            throw new StackException("cannot create the database " + name + " as user " + user + ": "
                    + e.getMessage(), e);
        }
    }

    public void migrate() {
        try {
            int applied = Flyway.configure().dataSource(jdbcUrl(), user, password).load().migrate().migrationsExecuted;
            if (applied > 0) {
                System.out.println("  applied " + applied + " schema migration(s)");
            }
        } catch (FlywayException e) {
            throw new StackException("cannot migrate the database " + name + ": " + e.getMessage(), e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }
}
