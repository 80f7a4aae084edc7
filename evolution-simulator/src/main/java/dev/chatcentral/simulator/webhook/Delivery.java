package dev.chatcentral.simulator.webhook;

/**
 * The outcome of posting one webhook, after every attempt it took.
 *
 * @param status   HTTP status of the last attempt, or {@link #NO_RESPONSE} when the last attempt got no answer
 * @param attempts how many times the webhook was posted
 * @param detail   the last response body, or what went wrong when there was no response
 */
public record Delivery(int status, int attempts, String detail) {

    public static final int NO_RESPONSE = 0;

    /** Evolution counts any 2xx as delivered. */
    public boolean accepted() {
        return status >= 200 && status < 300;
    }
}
