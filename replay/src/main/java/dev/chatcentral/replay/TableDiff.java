package dev.chatcentral.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * Compares one table of two databases row by row: both read in the order of the row's key, merged, each row as
 * PostgreSQL's canonical JSON of all its columns (jsonb orders the keys), so any column that differs shows.
 * Streams both sides through cursors, so a table of millions of rows needs no memory to speak of.
 */
final class TableDiff {

    /**
     * A table the sink writes.
     *
     * @param key           SQL giving a row's key as text
     * @param informational differences are reported but do not make the databases different (see {@link #TABLES})
     */
    record Table(String name, String key, boolean informational) {

        String query() {
            // "C" collation: byte order, which String.compareTo follows for these ASCII keys
            return "SELECT " + key + " AS k, to_jsonb(t)::text AS v FROM " + name + " t ORDER BY (" + key
                    + ") COLLATE \"C\"";
        }
    }

    /**
     * The sink's tables. The audit is informational: chat.conversas is compacted, so a rebuild sees only the versions
     * compaction kept, and the changes between the versions it removed leave no audit row.
     */
    static final List<Table> TABLES = List.of(
            new Table("conversa", "id::text", false),
            new Table("mensagem", "id::text", false),
            new Table("conversa_assignment_audit", "conversa_id::text || '@' || version", true));

    /** What the comparison of one table found; {@code first} holds at most the requested number of keys. */
    record Result(Table table, long rebuilt, long live, long onlyRebuilt, long onlyLive, long changed,
                  List<String> first) {

        boolean equal() {
            return onlyRebuilt == 0 && onlyLive == 0 && changed == 0;
        }
    }

    private TableDiff() {
    }

    static Result compare(Table table, Connection rebuilt, Connection live, int maxShown) throws SQLException {
        long rebuiltRows = 0;
        long liveRows = 0;
        long onlyRebuilt = 0;
        long onlyLive = 0;
        long changed = 0;
        List<String> first = new ArrayList<>();
        try (Cursor a = new Cursor(rebuilt, table.query()); Cursor b = new Cursor(live, table.query())) {
            while (a.key != null || b.key != null) {
                int order = a.key == null ? 1 : b.key == null ? -1 : a.key.compareTo(b.key);
                if (order < 0) {
                    onlyRebuilt++;
                    note(first, maxShown, table.name() + " " + a.key + ": only in the rebuilt database");
                    rebuiltRows++;
                    a.next();
                } else if (order > 0) {
                    onlyLive++;
                    note(first, maxShown, table.name() + " " + b.key + ": only in the live database");
                    liveRows++;
                    b.next();
                } else {
                    if (!a.value.equals(b.value)) {
                        changed++;
                        note(first, maxShown, table.name() + " " + a.key + ": differs in:"
                                + columns(a.value, b.value));
                    }
                    rebuiltRows++;
                    liveRows++;
                    a.next();
                    b.next();
                }
            }
        }
        return new Result(table, rebuiltRows, liveRows, onlyRebuilt, onlyLive, changed, first);
    }

    /** The columns whose values differ, each with both values. */
    static String columns(String rebuilt, String live) {
        JsonNode a = Json.MAPPER.readTree(rebuilt);
        JsonNode b = Json.MAPPER.readTree(live);
        Set<String> names = new TreeSet<>(a.propertyNames());
        names.addAll(b.propertyNames());
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            if (!Objects.equals(a.get(name), b.get(name))) {
                out.append("\n    ").append(name).append(": rebuilt ").append(a.get(name)).append(", live ")
                        .append(b.get(name));
            }
        }
        return out.toString();
    }

    private static void note(List<String> first, int max, String line) {
        if (first.size() < max) {
            first.add(line);
        }
    }

    /** A forward-only read of a query, fetched in pages (a cursor needs a transaction in PostgreSQL's driver). */
    private static final class Cursor implements AutoCloseable {

        private final Connection connection;
        private final boolean autoCommit;
        private final PreparedStatement statement;
        private final ResultSet rows;
        String key;
        String value;

        Cursor(Connection connection, String sql) throws SQLException {
            this.connection = connection;
            this.autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            statement = connection.prepareStatement(sql);
            statement.setFetchSize(1000);
            rows = statement.executeQuery();
            next();
        }

        void next() throws SQLException {
            if (rows.next()) {
                key = rows.getString(1);
                value = rows.getString(2);
            } else {
                key = null;
                value = null;
            }
        }

        @Override
        public void close() throws SQLException {
            rows.close();
            statement.close();
            connection.commit();
            connection.setAutoCommit(autoCommit);
        }
    }
}
