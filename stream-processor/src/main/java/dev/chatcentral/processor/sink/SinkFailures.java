package dev.chatcentral.processor.sink;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a database failure that a retry can fix (PostgreSQL away, overloaded, restarting, a deadlock) from one that
 * belongs to the records written (SQLSTATE class 22, data exception: a value out of range, an invalid byte; class
 * 23, integrity constraint violation). The sink retries the first kind with the whole batch, and splits the batch to
 * find and dead-letter the records of the second.
 */
final class SinkFailures {

    /**
     * Classes a retry fixes: connection exception, transaction rollback (serialization failure, deadlock), object
     * not in prerequisite state (lock not available), insufficient resources, operator intervention (shutdown),
     * system error.
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "55", "53", "57", "58");
    private static final Set<String> DATA_CLASSES = Set.of("22", "23");

    private SinkFailures() {
    }

    /** No SQLSTATE at all (a pool timeout, an I/O error) counts as transient: nothing points at the records. */
    static boolean isTransient(Throwable failure) {
        String state = sqlState(failure);
        return state == null || state.length() < 2 || TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }

    /** A failure caused by a value of the records written: a record that fails so alone can never be written. */
    static boolean isDataError(Throwable failure) {
        String state = sqlState(failure);
        return state != null && state.length() >= 2 && DATA_CLASSES.contains(state.substring(0, 2));
    }

    /** The SQLSTATE of the first SQLException in the cause chain that has one. */
    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
