package dev.chatcentral.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutageLogTest {

    private final OutageLog outage = new OutageLog(LoggerFactory.getLogger(OutageLogTest.class), "a heartbeat");

    @Test
    void shouldReportRecoveryOnceWhenAWriteWorksAfterFailures() {
        assertThat(outage.record(null)).isFalse();
        assertThat(outage.record(new IllegalStateException("broker away"))).isFalse();
        assertThat(outage.record(new IllegalStateException("still away"))).isFalse();

        assertThat(outage.record(null)).isTrue();
        assertThat(outage.record(null)).isFalse();
    }
}
