package dev.chatcentral.replay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A database the tools connect to: a JDBC URL, with the user and password the services use
 * ({@code DATABASE_USER}, {@code DATABASE_PASSWORD}, read through {@link ServiceSettings}) unless the URL names its
 * own ({@code ?user=...&password=...}, which the driver prefers).
 */
record Database(String jdbcUrl, String user, String password) {

    Database(String jdbcUrl, ServiceSettings settings) {
        this(jdbcUrl, settings.databaseUser(), settings.databasePassword());
    }

    Connection connect() throws ReplayFailure {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(Kafka.TIMEOUT.toSeconds()));
        try {
            Connection connection = DriverManager.getConnection(jdbcUrl, properties);
            if (connection == null) {
                throw ReplayFailure.unreachable("no driver takes " + Arguments.printable(jdbcUrl), null);
            }
            return connection;
        } catch (SQLException e) {
            throw ReplayFailure.unreachable("cannot connect to " + Arguments.printable(withoutQuery()), e);
        }
    }

    /** A data source on one connection of its own, for Flyway and the sink's repository. */
    DataSource dataSource() throws ReplayFailure {
        return new SingleConnectionDataSource(connect(), true);
    }

    /** The URL without its parameters, which may hold a password, for messages. */
    String withoutQuery() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
