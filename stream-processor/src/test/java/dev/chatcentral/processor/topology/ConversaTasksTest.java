package dev.chatcentral.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.Test;

import dev.chatcentral.processor.dlq.PoisonRecords;

/** How the five processors of a task come to share one {@link ConversaTask}. */
class ConversaTasksTest {

    private final ConversaTasks tasks = new ConversaTasks(TopologyFixture.settings(TopologyFixture.RETRY, true,
            outcome -> { }, (stage, reason, empresaId) -> { }, new PoisonRecords(), (empresaId, instance, silent) -> { }));

    @Test
    void shouldShareOneTaskAmongItsProcessorsUntilTheLastClosesAndStopsItsPunctuators() {
        MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
        ConversaTask first = tasks.join(context);
        ConversaTask second = tasks.join(context);
        assertThat(second).isSameAs(first);
        CapturedPunctuator purge = context.scheduledPunctuators().get(0);

        tasks.leave(context, first);
        assertThat(purge.cancelled()).isFalse();
        tasks.leave(context, second);
        assertThat(purge.cancelled()).isTrue();
        assertThat(tasks.join(context)).isNotSameAs(first);
    }

    @Test
    void shouldGiveATaskMadeAnewItsOwnStateEvenWhenTheOldOneWasNeverClosed() {
        ConversaTask old = tasks.join(new MockProcessorContext<>());

        assertThat(tasks.join(new MockProcessorContext<>())).isNotSameAs(old);
    }
}
