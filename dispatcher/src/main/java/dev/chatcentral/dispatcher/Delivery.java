package dev.chatcentral.dispatcher;

/**
 * What became of one reply: sent with its WhatsApp {@code keyId}, or failed with the reason the agent reads.
 *
 * @param outcome  the {@code outcome} tag of the sends metric
 * @param attempts calls made to Evolution
 */
record Delivery(boolean sent, String keyId, String error, int attempts, String outcome) {

    /** {@code note}: null, or why a sent reply lacks its keyId (receipts then cannot be linked to it). */
    static Delivery sent(String keyId, String note, int attempts) {
        return new Delivery(true, keyId, note, attempts, "sent");
    }

    static Delivery failed(String outcome, String error, int attempts) {
        return new Delivery(false, null, error, attempts, outcome);
    }
}
