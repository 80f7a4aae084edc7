package dev.chatcentral.gateway.redrive;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.serde.Json;

/**
 * Sends a supervisor's redrive to the stream-processor's management API, narrowed to their empresa, one at a time
 * per empresa: a redrive reads the whole DLQ, so a second click while one runs is refused rather than queued.
 */
@Component
public class ProcessorRedrive {

    private static final Logger log = LoggerFactory.getLogger(ProcessorRedrive.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** What the stream-processor answered: its status and JSON body, passed on to the supervisor. */
    public record Answer(int status, String body) {
    }

    /** Another redrive of the empresa is running. */
    public static final class AlreadyRunningException extends RuntimeException {
        AlreadyRunningException() {
            super("a redrive of this empresa is already running");
        }
    }

    /** The stream-processor could not be reached or did not answer in time. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String reason) {
            super(reason);
        }
    }

    private final RedriveProperties properties;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public ProcessorRedrive(RedriveProperties properties) {
        this.properties = properties;
        this.endpoint = properties.processorUrl().resolve("/dlq/redrive");
    }

    /** Redrives what {@code selection} names of the empresa's dead letters; the empresa is set here, not by callers. */
    public Answer redrive(String empresaId, ObjectNode selection) {
        if (!running.add(empresaId)) {
            throw new AlreadyRunningException();
        }
        try {
            ObjectNode request = selection.deepCopy();
            request.put("empresaId", empresaId);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                            .timeout(properties.timeout())
                            .header("Authorization", "Bearer " + properties.token())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 || response.statusCode() >= 500) {
                log.warn("the stream-processor refused a redrive of empresa {} with {}: {}", empresaId,
                        response.statusCode(), response.body());
                throw new UnavailableException("the stream-processor cannot redrive now");
            }
            return new Answer(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            throw new UnavailableException("the redrive did not finish within " + properties.timeout()
                    + "; what it sent is sent, look at the DLQ again later");
        } catch (IOException e) {
            log.warn("cannot reach the stream-processor at {} for a redrive: {}", endpoint, e.toString());
            throw new UnavailableException("the stream-processor cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        } finally {
            running.remove(empresaId);
        }
    }
}
