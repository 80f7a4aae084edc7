package dev.chatcentral.ingest.metrics;

import java.time.Duration;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The ingest's metrics: requests by event and status, acknowledgement latency, body sizes and rejections by
 * reason. Event names come from the caller, so only Evolution's own names become tag values; anything else is
 * counted as {@code other} and cannot blow up the number of time series.
 */
@Component
public class WebhookMetrics {

    /** Every event Evolution API (2.3 and 2.4) can send (reference/evolution-api.md). */
    private static final Set<String> EVOLUTION_EVENTS = Set.of(
            "qrcode.updated", "connection.update", "messages.set", "messages.upsert", "messages.edited",
            "messages.update", "messages.delete", "send.message", "send.message.update", "contacts.set",
            "contacts.upsert", "contacts.update", "presence.update", "chats.set", "chats.upsert", "chats.update",
            "chats.delete", "groups.upsert", "groups.update", "group-participants.update", "labels.edit",
            "labels.association", "call", "typebot.start", "typebot.change-status", "instance.create",
            "instance.delete", "status.instance", "remove.instance", "logout.instance", "messaging-history.set");

    private final MeterRegistry registry;
    private final DistributionSummary bytes;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytes = DistributionSummary.builder("chatcentral.ingest.request.bytes")
                .description("size of webhook bodies")
                .baseUnit("bytes")
                .register(registry);
    }

    /** One finished request: its event (null before the body was read), HTTP status and time to answer. */
    public void record(String event, int status, Duration latency) {
        String eventTag = event == null ? "unknown" : EVOLUTION_EVENTS.contains(event) ? event : "other";
        Counter.builder("chatcentral.ingest.requests")
                .description("webhooks by event and HTTP status")
                .tag("event", eventTag)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
        Timer.builder("chatcentral.ingest.latency")
                .description("time from request to answer; for 2xx it includes the broker's acknowledgement")
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
    }

    public void recordBody(int size) {
        bytes.record(size);
    }

    /** A request refused, with the error code of its answer (unauthorized, rate_limited, ...). */
    public void reject(String reason) {
        Counter.builder("chatcentral.ingest.rejects")
                .description("webhooks refused, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
