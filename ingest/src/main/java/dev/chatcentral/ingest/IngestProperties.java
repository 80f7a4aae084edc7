package dev.chatcentral.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ingest.
 *
 * @param ackTimeout             longest wait for the broker's acknowledgement before answering 503; far below
 *                               Evolution's 30 s request timeout so it retries instead of hanging
 * @param secretRefreshInterval  how often empresas, instances and webhook secrets are reloaded from PostgreSQL
 */
@ConfigurationProperties("chatcentral.ingest")
public record IngestProperties(
        @DefaultValue("2s") Duration ackTimeout,
        @DefaultValue("30s") Duration secretRefreshInterval) {
}
