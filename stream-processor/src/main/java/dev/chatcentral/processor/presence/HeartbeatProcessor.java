package dev.chatcentral.processor.presence;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.schemas.signal.NodeHeartbeat;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Keeps each gateway node's latest heartbeat in the global store every presence task reads. Runs on restore too,
 * so a malformed heartbeat is skipped (and logged) rather than stopping the global thread.
 */
final class HeartbeatProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatProcessor.class);

    private final RejectedInput rejections;
    private KeyValueStore<String, NodeHeartbeat> heartbeats;

    HeartbeatProcessor(RejectedInput rejections) {
        this.rejections = rejections;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.heartbeats = context.getStateStore(PresenceTopology.HEARTBEAT_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        NodeHeartbeat heartbeat;
        try {
            heartbeat = SignalParser.heartbeat(record.key(), record.value());
        } catch (InvalidSignalException e) {
            log.warn("heartbeat of node {} dropped: {}", record.key(), e.getMessage());
            rejections.rejected(Topics.NODE_HEARTBEATS.name(), e.getMessage());
            return;
        }
        if (heartbeat == null) {
            heartbeats.delete(record.key());
            return;
        }
        NodeHeartbeat known = heartbeats.get(heartbeat.nodeId());
        // a heartbeat of an earlier run, delayed, must not hide the restart
        if (known == null || heartbeat.bootEpoch() >= known.bootEpoch()) {
            heartbeats.put(heartbeat.nodeId(), heartbeat);
        }
    }
}
