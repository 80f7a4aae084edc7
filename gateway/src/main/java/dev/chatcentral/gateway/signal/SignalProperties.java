package dev.chatcentral.gateway.signal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param pollSessionLinger how long a long-polling user stays a session of this node after their last poll ended
 *                          (env LONG_POLL_PRESENCE_LINGER): it bridges the gap between one poll's answer and the
 *                          next poll, and the client's backoff after a failed poll
 */
@ConfigurationProperties("chatcentral.gateway.signal")
public record SignalProperties(Duration pollSessionLinger) {

    public SignalProperties {
        if (pollSessionLinger.isNegative() || pollSessionLinger.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.signal.poll-session-linger must be positive, was "
                    + pollSessionLinger);
        }
    }
}
