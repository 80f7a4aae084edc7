package dev.chatcentral.schemas.conversa;

/**
 * Delivery status of a mensagem, with Evolution API's names. The order is the order receipts move it forward in;
 * {@link #ERROR} is the exception and may follow any status.
 */
public enum MensagemStatus {
    PENDING, SERVER_ACK, DELIVERY_ACK, READ, PLAYED, ERROR;

    /** Whether a receipt with {@code next} may replace this status: forward only, except ERROR. */
    public boolean canMoveTo(MensagemStatus next) {
        return next == ERROR ? this != ERROR : this != ERROR && next.ordinal() > ordinal();
    }
}
