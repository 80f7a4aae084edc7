package dev.chatcentral.processor.instance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.ProcessorProperties;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.InstanceStatusData;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.serde.Json;

/**
 * Notices a WhatsApp number that says it is connected and has stopped sending webhooks (Evolution instances are
 * known to do so), against its own usual gap between webhooks, and notices when it speaks again.
 *
 * <p>The usual gap is learnt in memory (a moving average per instance, per task): writing it to a changelogged store
 * would cost a write per webhook for an advisory signal; a task that starts elsewhere learns again before it reports.
 * Only the silences reported are kept in a store, so that the next webhook ends one even on another node.
 */
public final class InstanceSilence {

    private static final Logger log = LoggerFactory.getLogger(InstanceSilence.class);
    private static final String OPEN = "open";
    /** Weight of the newest gap in the moving average. */
    private static final double NEWEST_GAP_WEIGHT = 0.2;

    /** The settings, as {@link ProcessorProperties.Silence} gives them. */
    public record Settings(boolean enabled, Duration checkInterval, double gapFactor, Duration minSilence,
                           int minSamples) {

        public static Settings from(ProcessorProperties.Silence silence) {
            return new Settings(silence.enabled(), silence.checkInterval(), silence.gapFactor(),
                    silence.minSilence(), silence.minSamples());
        }
    }

    /** Told of every silence reported and ended, for metrics. */
    @FunctionalInterface
    public interface Listener {
        void changed(String empresaId, String instance, boolean silent);
    }

    /**
     * A silence reported.
     *
     * @param lastWebhookAt wall-clock millis of the instance's last webhook before it
     */
    public record Silent(String empresaId, String instance, long lastWebhookAt) {
    }

    private static final class Activity {
        final String empresaId;
        final String instance;
        long lastWebhookAt;
        double meanGapMillis;
        int samples;
        String state;

        Activity(String empresaId, String instance) {
            this.empresaId = empresaId;
            this.instance = instance;
        }
    }

    private final Settings settings;
    private final Listener listener;
    private final KeyValueStore<String, Silent> reported;
    private final Map<String, Activity> activity = new HashMap<>();
    /** The keys of {@link #reported}, so that a webhook costs no store read. */
    private final Map<String, Silent> silent = new HashMap<>();

    public InstanceSilence(Settings settings, Listener listener, KeyValueStore<String, Silent> reported) {
        this.settings = settings;
        this.listener = listener;
        this.reported = reported;
        try (KeyValueIterator<String, Silent> all = reported.all()) {
            while (all.hasNext()) {
                KeyValue<String, Silent> entry = all.next();
                silent.put(entry.key, entry.value);
            }
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * A webhook of this instance arrived: it learns the gap, and ends a silence that was reported.
     *
     * @param state the connection state it reported, or null when it was no {@code connection.update}
     * @return the {@code instance_status} that ends a silence, or null
     */
    public RealtimeEvent onWebhook(String empresaId, String instance, String state, long nowMillis) {
        String key = empresaId + "|" + instance;
        Activity seen = activity.computeIfAbsent(key, k -> new Activity(empresaId, instance));
        Silent ended = silent.remove(key);
        if (seen.samples > 0 && ended == null) {
            long gap = Math.max(0, nowMillis - seen.lastWebhookAt);
            seen.meanGapMillis = seen.samples == 1 ? gap
                    : (1 - NEWEST_GAP_WEIGHT) * seen.meanGapMillis + NEWEST_GAP_WEIGHT * gap;
        }
        seen.samples++;
        seen.lastWebhookAt = nowMillis;
        if (state != null) {
            seen.state = state;
        }
        if (ended == null) {
            return null;
        }
        reported.delete(key);
        listener.changed(empresaId, instance, false);
        log.info("WhatsApp number {} of empresa {} sends webhooks again", instance, empresaId);
        return event(ended, seen.state != null ? seen.state : OPEN, false, nowMillis);
    }

    /** The instances whose silence is now unusual: each reported once, with its {@code instance_status}. */
    public List<RealtimeEvent> check(long nowMillis) {
        List<RealtimeEvent> events = new ArrayList<>();
        activity.forEach((key, seen) -> {
            if (silent.containsKey(key) || seen.samples < settings.minSamples()
                    || (seen.state != null && !OPEN.equals(seen.state))) {
                return;
            }
            long quiet = nowMillis - seen.lastWebhookAt;
            long unusual = Math.max(settings.minSilence().toMillis(),
                    (long) (settings.gapFactor() * seen.meanGapMillis));
            if (quiet < unusual) {
                return;
            }
            Silent now = new Silent(seen.empresaId, seen.instance, seen.lastWebhookAt);
            silent.put(key, now);
            reported.put(key, now);
            listener.changed(seen.empresaId, seen.instance, true);
            log.warn("WhatsApp number {} of empresa {} says it is connected but sent no webhook for {} s "
                    + "(usually one every {} s)", seen.instance, seen.empresaId, quiet / 1000,
                    Math.round(seen.meanGapMillis / 1000));
            events.add(event(now, OPEN, true, nowMillis));
        });
        return events;
    }

    private static RealtimeEvent event(Silent silence, String state, boolean isSilent, long nowMillis) {
        InstanceStatusData data = new InstanceStatusData(silence.instance(), state, null, null, null, isSilent,
                Instant.ofEpochMilli(silence.lastWebhookAt()));
        String cause = silence.empresaId() + "|" + silence.instance() + "|silent@" + silence.lastWebhookAt() + "|"
                + isSilent;
        return new RealtimeEvent(DeterministicIds.eventId(cause, EventType.INSTANCE_STATUS), silence.empresaId(),
                EventType.INSTANCE_STATUS, List.of(Channel.empresa(silence.empresaId())),
                Json.MAPPER.valueToTree(data), Instant.ofEpochMilli(nowMillis));
    }
}
