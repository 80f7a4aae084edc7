package dev.chatcentral.schemas.conversa;

/**
 * Delivery status of a mensagem, with Evolution API's names, plus {@link #UNCONFIRMED}, chat-central's own. Receipts
 * move it forward ({@link #rank()}); {@link #ERROR} may follow a reply not yet delivered, and is not the end: a
 * receipt of delivery that arrives later moves it on, because WhatsApp's own word is the evidence.
 */
public enum MensagemStatus {
    PENDING, SERVER_ACK, DELIVERY_ACK, READ, PLAYED, ERROR,
    /**
     * A reply whose send may have reached Evolution (the call timed out, or the connection broke after the request
     * was written): neither sent nor failed until evidence settles it (docs/commands.md). Never resent meanwhile.
     */
    UNCONFIRMED;

    /**
     * The status Evolution API names {@code name} (exactly, as it writes them), or null: {@link #UNCONFIRMED} is
     * chat-central's own and is never taken from a webhook.
     */
    public static MensagemStatus evolutionNamed(String name) {
        for (MensagemStatus status : values()) {
            if (status != UNCONFIRMED && status.name().equals(name)) {
                return status;
            }
        }
        return null;
    }

    /** How far delivery has gone: 0 until WhatsApp's server has the message (pending, unconfirmed, failed). */
    public int rank() {
        return switch (this) {
            case PENDING, ERROR, UNCONFIRMED -> 0;
            case SERVER_ACK -> 1;
            case DELIVERY_ACK -> 2;
            case READ -> 3;
            case PLAYED -> 4;
        };
    }

    /**
     * Whether a receipt or a dispatch result with {@code next} may replace this status: delivery forward only;
     * ERROR only before the customer's phone has it (a delivered message did not fail); UNCONFIRMED only from PENDING.
     */
    public boolean canMoveTo(MensagemStatus next) {
        return switch (next) {
            case ERROR -> this == PENDING || this == SERVER_ACK || this == UNCONFIRMED;
            case UNCONFIRMED -> this == PENDING;
            case PENDING -> false;
            default -> next.rank() > rank();
        };
    }
}
