package dev.chatcentral.gateway.signal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param pollSessionLinger  how long a long-polling user stays a session of this node after their last poll ended
 *                           (env LONG_POLL_PRESENCE_LINGER): it bridges the gap between one poll's answer and the
 *                           next poll, and the client's backoff after a failed poll
 * @param typingSignalLinger how long the presence topology is not told of a typing stop, in case the atendente types
 *                           on (env TYPING_SIGNAL_LINGER, 0 to {@link #MAX_TYPING_SIGNAL_LINGER}): the other nodes
 *                           show the stop at once from the fast lane; 0 signals every typing frame at once
 */
@ConfigurationProperties("chatcentral.gateway.signal")
public record SignalProperties(Duration pollSessionLinger, Duration typingSignalLinger) {

    public static final Duration MAX_TYPING_SIGNAL_LINGER = Duration.ofMinutes(1);

    public SignalProperties {
        if (pollSessionLinger.isNegative() || pollSessionLinger.isZero()) {
            throw new IllegalArgumentException("chatcentral.gateway.signal.poll-session-linger must be positive, was "
                    + pollSessionLinger);
        }
        if (typingSignalLinger.isNegative() || typingSignalLinger.compareTo(MAX_TYPING_SIGNAL_LINGER) > 0) {
            throw new IllegalArgumentException("chatcentral.gateway.signal.typing-signal-linger must be between 0 and "
                    + MAX_TYPING_SIGNAL_LINGER + ", was " + typingSignalLinger);
        }
    }
}
