package dev.chatcentral.processor.sink;

import org.springframework.core.NestedExceptionUtils;

/**
 * PostgreSQL refused one record written alone: its SQLSTATE and PostgreSQL's own words, without the statement,
 * which is the same for every record and would crowd out the reason in the dead letter's header.
 */
final class DatabaseRefusedException extends RuntimeException {

    DatabaseRefusedException(RuntimeException failure) {
        super("SQLSTATE " + SinkFailures.sqlState(failure) + ": "
                + NestedExceptionUtils.getMostSpecificCause(failure).getMessage(), failure);
    }
}
