package dev.chatcentral.processor.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetterIdTest {

    @Test
    void shouldTakeAnIdOfAPartitionTheDeploymentsDlqHas() {
        assertThat(DeadLetterId.parse("chat.dlq-2-17", 3)).isEqualTo(new DeadLetterId(2, 17));
        assertThat(DeadLetterId.parse("chat.dlq-11-0", 12)).isEqualTo(new DeadLetterId(11, 0));
    }

    @Test
    void shouldRefuseAPartitionBeyondTheDeploymentsCountNamingIt() {
        assertThatThrownBy(() -> DeadLetterId.parse("chat.dlq-3-17", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record id must look like chat.dlq-<partition>-<offset> with a partition below 3: "
                        + "chat.dlq-3-17");
        for (String hostile : new String[] {"chat.dlq--1-0", "chat.dlq-0--1", "chat.dlq-99999999999-0", "chat.dlq-a-0",
                "chat.dlq-0", "chat.dlq-0-1-2", "chat.dlq-\u0000-0", "chat.events-0-0", ""}) {
            assertThatThrownBy(() -> DeadLetterId.parse(hostile, 12)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
