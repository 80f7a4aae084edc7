package dev.chatcentral.gateway.realtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.gateway.delivery.FrameSink;
import dev.chatcentral.gateway.delivery.OutboundFrame;
import dev.chatcentral.schemas.serde.Json;

/**
 * Collects the frames of one long-poll into its answer: the events, and the position to poll from next. The
 * answer is sent once every channel is {@code subscribed} and there is an event to give (or at once when the poll
 * named no position), or when the poll times out.
 */
final class PollSink implements FrameSink {

    private final DeferredResult<ResponseEntity<Map<String, Object>>> result;
    private final int channels;
    private final boolean waitForEvents;
    private final int maxEvents;
    private final List<JsonNode> events = new ArrayList<>();
    private long position;
    private Boolean recovered;
    private int subscribed;
    private boolean done;

    /** @param since the poll's position, or null */
    PollSink(DeferredResult<ResponseEntity<Map<String, Object>>> result, int channels, Long since, int maxEvents) {
        this.result = result;
        this.channels = channels;
        this.waitForEvents = since != null;
        this.position = since == null ? -1 : since;
        this.maxEvents = maxEvents;
    }

    @Override
    public synchronized void write(OutboundFrame frame) {
        if (done) {
            return;
        }
        JsonNode json = Json.MAPPER.readTree(frame.json());
        switch (json.path("type").asString()) {
            case "subscribed" -> {
                subscribed++;
                position = Math.max(position, frame.position());
                if (json.has("recovered")) {
                    recovered = (recovered == null || recovered) && json.path("recovered").asBoolean();
                }
            }
            case "error" -> {
                done = true;
                result.setResult(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of(
                        "error", json.path("code").asString(), "reason", json.path("message").asString())));
                return;
            }
            // the state the deltas apply to: it comes before the channel's subscribed, in the same answer
            case "presence_snapshot" -> events.add(json);
            default -> {
                if (frame.isEphemeralEvent()) {
                    // typing, for the poll that waits now; it moves no position, and a full answer takes no more
                    if (events.size() < maxEvents) {
                        events.add(json);
                    }
                } else if (frame.position() < 0) {
                    return;
                } else {
                    // an event delivered on several channels shares one position: never answer with half of it
                    if (events.size() >= maxEvents && frame.position() > position) {
                        answer();
                        return;
                    }
                    events.add(json);
                    position = Math.max(position, frame.position());
                }
            }
        }
        // recovered false: nothing to wait for, the client reloads over REST and polls from the new position
        if (subscribed >= channels && (!events.isEmpty() || !waitForEvents || Boolean.FALSE.equals(recovered))) {
            answer();
        }
    }

    @Override
    public void ping() {
        // a long-poll answers within its timeout, which is shorter than any proxy's idle limit
    }

    @Override
    public synchronized void close(int code, String reason) {
        answer();
    }

    /** Answers with what was collected so far; the poll timed out, or the session ends. */
    synchronized void answer() {
        if (done) {
            return;
        }
        done = true;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events);
        body.put("position", position);
        if (recovered != null) {
            body.put("recovered", recovered);
        }
        result.setResult(ResponseEntity.ok(body));
    }
}
