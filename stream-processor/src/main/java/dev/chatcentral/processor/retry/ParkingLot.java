package dev.chatcentral.processor.retry;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The parking store: one FIFO queue per conversa of records that cannot be processed yet or wait behind one that
 * cannot. Keys are {@code queueKey|offset}, the offset zero-padded, so a prefix scan yields a queue in arrival
 * order (a conversa's records all come from its empresa's one partition). Only the head of a queue is ever
 * retried; the rest follow once it is done.
 */
public final class ParkingLot {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, ParkedRecord> parked;

    public ParkingLot(KeyValueStore<String, ParkedRecord> parked) {
        this.parked = parked;
    }

    public static String parkingKey(String queueKey, long offset) {
        return queueKey + "|" + String.format("%019d", offset);
    }

    public static String queueKey(String parkingKey) {
        return parkingKey.substring(0, parkingKey.lastIndexOf('|'));
    }

    public boolean hasQueue(String queueKey) {
        try (KeyValueIterator<String, ParkedRecord> queue = parked.prefixScan(queueKey + "|", KEYS)) {
            return queue.hasNext();
        }
    }

    /** The queue's records, head first. */
    public List<KeyValue<String, ParkedRecord>> queue(String queueKey) {
        List<KeyValue<String, ParkedRecord>> records = new ArrayList<>();
        try (KeyValueIterator<String, ParkedRecord> queue = parked.prefixScan(queueKey + "|", KEYS)) {
            queue.forEachRemaining(records::add);
        }
        return records;
    }

    public boolean isEmpty() {
        try (KeyValueIterator<String, ParkedRecord> all = parked.all()) {
            return !all.hasNext();
        }
    }

    public ParkedRecord get(String parkingKey) {
        return parked.get(parkingKey);
    }

    public void put(String parkingKey, ParkedRecord record) {
        parked.put(parkingKey, record);
    }

    public void remove(String parkingKey) {
        parked.delete(parkingKey);
    }

    /** The heads of queues that are parked and due by {@code nowMillis}. */
    public List<KeyValue<String, ParkedRecord>> dueHeads(long nowMillis) {
        List<KeyValue<String, ParkedRecord>> due = new ArrayList<>();
        String previousQueue = null;
        try (KeyValueIterator<String, ParkedRecord> all = parked.all()) {
            while (all.hasNext()) {
                KeyValue<String, ParkedRecord> entry = all.next();
                String queue = queueKey(entry.key);
                if (queue.equals(previousQueue)) {
                    continue;
                }
                previousQueue = queue;
                if (entry.value.state() == ParkedRecord.State.PARKED && entry.value.dueAt() <= nowMillis) {
                    due.add(entry);
                }
            }
        }
        return due;
    }
}
