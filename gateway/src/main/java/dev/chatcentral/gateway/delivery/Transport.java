package dev.chatcentral.gateway.delivery;

/** How a client receives its frames; the delivery is the same for all three. */
public enum Transport {
    WEBSOCKET("websocket"), SSE("sse"), POLL("poll");

    private final String tag;

    Transport(String tag) {
        this.tag = tag;
    }

    /** The name used in metrics. */
    public String tag() {
        return tag;
    }
}
