package dev.chatcentral.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void shouldRestoreTheEnclosingScopesValuesWhenANestedScopeCloses() {
        try (LogContext outer = LogContext.open().put(LogContext.EMPRESA_ID, "emp-a")) {
            try (LogContext inner = LogContext.open().put(LogContext.EMPRESA_ID, "emp-b")
                    .put(LogContext.COMMAND_ID, "cmd-1")) {
                assertThat(MDC.get(LogContext.EMPRESA_ID)).isEqualTo("emp-b");
                assertThat(MDC.get(LogContext.COMMAND_ID)).isEqualTo("cmd-1");
            }
            assertThat(MDC.get(LogContext.EMPRESA_ID)).isEqualTo("emp-a");
            assertThat(MDC.get(LogContext.COMMAND_ID)).isNull();
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void shouldTakeTheCorrelationIdFromTheRecordsHeadersAndToleratePutsOfTheSameKeyTwice() {
        RecordHeaders headers = new RecordHeaders();
        dev.chatcentral.schemas.topic.RecordHeaders.put(headers,
                dev.chatcentral.schemas.topic.RecordHeaders.CORRELATION_ID, "corr-1");
        try (LogContext scope = LogContext.ofRecord("emp-a", headers).put(LogContext.EMPRESA_ID, "emp-a2")) {
            assertThat(MDC.get(LogContext.CORRELATION_ID)).isEqualTo("corr-1");
            assertThat(MDC.get(LogContext.EMPRESA_ID)).isEqualTo("emp-a2");
        }
        assertThat(MDC.get(LogContext.EMPRESA_ID)).isNull();
        try (LogContext scope = LogContext.ofRecord(null, null)) {
            assertThat(MDC.get(LogContext.EMPRESA_ID)).isNull();
        }
    }

    @Test
    void shouldCutHugeValuesAndReplaceControlCharactersThatCouldForgeLogLines() {
        String forged = "emp-a\n2026-11-29 INFO admin logged in\u0000";
        assertThat(LogContext.clean(forged)).isEqualTo("emp-a?2026-11-29 INFO admin logged in?");
        assertThat(LogContext.clean("x".repeat(600_000))).hasSize(LogContext.MAX_VALUE_LENGTH + 1).endsWith("…");
        assertThat(LogContext.clean("")).isEmpty();
    }
}
