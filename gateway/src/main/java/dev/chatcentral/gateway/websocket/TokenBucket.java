package dev.chatcentral.gateway.websocket;

/** The rate limit on one client's frames: {@code burst} at once, {@code rate} per second on average. */
final class TokenBucket {

    private final double rate;
    private final double burst;
    private double tokens;
    private long refilledAt = System.nanoTime();
    /** Frames refused since the last one accepted; a client that keeps going gets closed. */
    private int refusedInRow;

    TokenBucket(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one token; false when the client is over its rate. Called from the session's receiving thread. */
    synchronized boolean tryTake() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * rate);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            refusedInRow = 0;
            return true;
        }
        refusedInRow++;
        return false;
    }

    synchronized int refusedInRow() {
        return refusedInRow;
    }
}
