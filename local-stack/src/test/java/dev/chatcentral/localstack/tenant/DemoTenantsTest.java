package dev.chatcentral.localstack.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the machine's PostgreSQL, in a database of its own, migrated with the services' migrations. */
class DemoTenantsTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private final String database = "localstack_test_" + UUID.randomUUID().toString().replace("-", "");
    private Connection connection;

    @BeforeEach
    void createDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        Flyway.configure().dataSource(SERVER + database, "postgres", "").load().migrate();
        connection = DriverManager.getConnection(SERVER + database, "postgres", "");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        connection.close();
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void shouldSeedEmpresasInstancesAndOnlyTheHashOfEachSecret() throws SQLException {
        Map<DemoEmpresa, String> secrets = DemoTenants.seed(connection, DemoEmpresa.ALL);

        assertThat(rows("SELECT id || '=' || nome FROM empresa ORDER BY id"))
                .containsExactly("emp-demo-1=Loja Aurora", "emp-demo-2=Padaria Sol");
        assertThat(rows("SELECT empresa_id || '=' || instance FROM empresa_instance ORDER BY empresa_id"))
                .containsExactly("emp-demo-1=loja-aurora-01", "emp-demo-2=padaria-sol-01");
        String secret = secrets.get(DemoEmpresa.ALL.get(0));
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(liveHashes("emp-demo-1")).containsExactly(hex(DemoTenants.sha256(secret)));
    }

    @Test
    void shouldRevokeOlderSecretsWhenSeededAgain() throws SQLException {
        String first = DemoTenants.seed(connection, DemoEmpresa.ALL).get(DemoEmpresa.ALL.get(0));
        String second = DemoTenants.seed(connection, DemoEmpresa.ALL).get(DemoEmpresa.ALL.get(0));

        assertThat(second).isNotEqualTo(first);
        assertThat(liveHashes("emp-demo-1")).containsExactly(hex(DemoTenants.sha256(second)));
        assertThat(rows("SELECT count(*)::text FROM empresa_webhook_secret WHERE empresa_id = 'emp-demo-1'"))
                .containsExactly("2");
        assertThat(rows("SELECT count(*)::text FROM empresa_instance")).containsExactly("2");
    }

    private List<String> liveHashes(String empresaId) throws SQLException {
        return rows("SELECT encode(secret_sha256, 'hex') FROM empresa_webhook_secret "
                + "WHERE revoked_at IS NULL AND empresa_id = '" + empresaId + "'");
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
