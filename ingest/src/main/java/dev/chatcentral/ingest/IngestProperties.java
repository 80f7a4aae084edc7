package dev.chatcentral.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the ingest.
 *
 * @param ackTimeout              longest wait for the broker's acknowledgement before answering 503; far below
 *                                Evolution's 30 s request timeout, so it retries instead of hanging
 * @param maxBodySize             largest webhook accepted; media sent inline ({@code base64: true}) needs megabytes
 * @param secretRefreshInterval   how often empresas, instances and webhook secrets are reloaded from PostgreSQL
 * @param secretEncryptionKey     base64 of the 32-byte AES key that encrypts webhook secrets at rest (they are
 *                                needed in clear to verify the JWTs Evolution signs with them)
 * @param rateLimit               admission per empresa
 * @param maxBytesInFlight        webhook bytes held at once (until answered), all empresas together: past it a
 *                                request is answered 503, so a burst of media cannot exhaust the heap
 * @param maxBytesInFlightPerEmpresa the same for one empresa: past it its requests get 429, the others none
 * @param nodeId                  this node's name in {@code chat.ingest.nodes}; made up at start when blank
 * @param warmupTimeout           longest the start waits for the producer's first acknowledged write before the
 *                                web server opens; past it the node opens not ready and keeps trying
 * @param producer                the producer's own timeouts, apart from the answer's {@code ackTimeout}
 * @param webhookJwt              what Evolution's {@code jwt_key} tokens are held to
 */
@ConfigurationProperties("chatcentral.ingest")
public record IngestProperties(
        Duration ackTimeout,
        DataSize maxBodySize,
        Duration secretRefreshInterval,
        String secretEncryptionKey,
        @DefaultValue RateLimit rateLimit,
        DataSize maxBytesInFlight,
        DataSize maxBytesInFlightPerEmpresa,
        String nodeId,
        Duration warmupTimeout,
        @DefaultValue Producer producer,
        @DefaultValue WebhookJwt webhookJwt) {

    /**
     * @param maxAge    oldest a token may be by its {@code iat}: Evolution mints one per webhook, so an older one was
     *                  captured and is being replayed (its {@code exp} alone, ten minutes on, would let it be)
     * @param clockSkew tolerated difference between Evolution's clock and ours, on {@code exp} and {@code iat}
     */
    public record WebhookJwt(
            Duration maxAge,
            Duration clockSkew) {
    }

    /**
     * @param requestTimeout  longest the producer waits for one answer of the broker before retrying the request;
     *                        a broker slow for a moment must not count as down
     * @param deliveryTimeout longest the producer keeps a webhook it could not write, retrying, before giving up on
     *                        it (it was answered 503 long before)
     */
    public record Producer(
            Duration requestTimeout,
            Duration deliveryTimeout) {
    }

    /**
     * @param requestsPerSecond sustained webhooks per second one empresa may send; more get 429 with Retry-After
     */
    public record RateLimit(int requestsPerSecond) {

        /** Above a second's worth of what one ingest can take by far; the counter holds 32 bits. */
        static final int MAX_REQUESTS_PER_SECOND = 10_000_000;

        public RateLimit {
            if (requestsPerSecond < 1 || requestsPerSecond > MAX_REQUESTS_PER_SECOND) {
                throw new IllegalArgumentException("INGEST_RATE_LIMIT_PER_EMPRESA must be from 1 to "
                        + MAX_REQUESTS_PER_SECOND + " webhooks per second, not " + requestsPerSecond);
            }
        }
    }
}
