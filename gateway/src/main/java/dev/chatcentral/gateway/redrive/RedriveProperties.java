package dev.chatcentral.gateway.redrive;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a supervisor's DLQ redrive goes: the stream-processor's management API ({@code POST /dlq/redrive}), which
 * only the management token opens. The gateway narrows every redrive to the caller's empresa before sending it.
 *
 * @param processorUrl the stream-processor's management address (env PROCESSOR_MANAGEMENT_URL); any processor node
 *                     will do: a redrive reads the whole DLQ
 * @param token        the stream-processor's management token (env PROCESSOR_MANAGEMENT_TOKEN, by default the
 *                     gateway's own ADMIN_API_TOKEN)
 * @param timeout      how long a redrive may take before the supervisor is told to look again later (env
 *                     REDRIVE_TIMEOUT): it reads the DLQ to its end
 */
@ConfigurationProperties("chatcentral.gateway.redrive")
public record RedriveProperties(URI processorUrl, String token, Duration timeout) {

    public RedriveProperties {
        if (processorUrl == null || !processorUrl.isAbsolute()) {
            throw new IllegalArgumentException("chatcentral.gateway.redrive.processor-url must be an absolute URL, was "
                    + processorUrl);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.redrive.timeout must be positive, was " + timeout);
        }
    }
}
