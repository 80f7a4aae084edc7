package dev.chatcentral.replay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A database the tools connect to: a JDBC URL, with the user and password of the services' own variables
 * ({@code DATABASE_USER}, {@code DATABASE_PASSWORD}) unless the URL names its own ({@code ?user=...&password=...}).
 */
record Database(String jdbcUrl) {

    Connection connect() throws ReplayFailure {
        Properties properties = new Properties();
        String user = System.getenv("DATABASE_USER");
        String password = System.getenv("DATABASE_PASSWORD");
        properties.setProperty("user", user == null || user.isEmpty() ? "postgres" : user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", Long.toString(Kafka.TIMEOUT.toSeconds()));
        properties.setProperty("socketTimeout", "0");
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
