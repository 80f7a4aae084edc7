package dev.chatcentral.processor.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Hands the processors of one task the same {@link ConversaTask}. Kafka Streams makes each processor of a task on its
 * own and has no object per task to hang shared state on, so the first processor of a task to start makes it and the
 * others join it by task id; a task made anew (after it moved away and came back) gets a new one, told apart by its
 * context, which Kafka Streams gives every processor of a task alike. The last processor to close forgets it.
 */
final class ConversaTasks {

    private final TopologySettings settings;
    private final Map<TaskId, ConversaTask> tasks = new ConcurrentHashMap<>();

    ConversaTasks(TopologySettings settings) {
        this.settings = settings;
    }

    ConversaTask join(ProcessorContext<String, byte[]> context) {
        return tasks.compute(context.taskId(), (id, task) -> {
            ConversaTask joined = task != null && task.runsIn(context) ? task : new ConversaTask(context, settings);
            joined.joined();
            return joined;
        });
    }

    void leave(ProcessorContext<String, byte[]> context, ConversaTask task) {
        if (task.left()) {
            tasks.remove(context.taskId(), task);
        }
    }
}
