package dev.chatcentral.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import dev.chatcentral.processor.dlq.DeadLetterReason;
import dev.chatcentral.processor.dlq.Unprocessable;
import dev.chatcentral.schemas.topic.TopicSpec;

class OutputsTest {

    private static final TopicSpec<String, String> SMALL = new TopicSpec<>("small", TopicSpec.Partitioning.SINGLE,
            Duration.ofDays(1), false, TopicSpec.RECORD_OVERHEAD_BYTES + 100, Map.of(), Serdes.String(),
            Serdes.String());

    @Test
    void shouldTakeRecordThatFitsItsTopic() {
        Outputs outputs = new Outputs().add("sink", SMALL, "k", "x".repeat(99));

        assertThat(outputs.isEmpty()).isFalse();
    }

    @Test
    void shouldRefuseRecordOverItsTopicsLimitAsTooLarge() {
        assertThatThrownBy(() -> new Outputs().add("sink", SMALL, "k", "x".repeat(100)))
                .isInstanceOf(OversizedOutputException.class)
                .hasMessage("its output to small would be 101 bytes, over the topic's limit of 1124 bytes")
                .satisfies(e -> assertThat(((Unprocessable) e).reason()).isEqualTo(DeadLetterReason.TOO_LARGE));
    }
}
