package dev.chatcentral.dispatcher;

/**
 * The answer to one call of a send (sendText, sendReaction or deleteMessageForEveryone).
 *
 * @param kind   what kind of answer it was
 * @param status the HTTP status, or 0 when there was none
 * @param keyId  for {@link Kind#SENT}: the WhatsApp message id ({@code key.id}), null if Evolution left it out
 * @param detail for the others: why, for the agent and the logs
 */
record EvolutionCall(Kind kind, int status, String keyId, String detail) {

    enum Kind {
        /** 2xx: WhatsApp has the reply, reaction or deletion. */
        SENT,
        /** 400 to a reply: the number has no WhatsApp. Never retried. */
        NOT_ON_WHATSAPP,
        /** 401: Evolution refused the API key. Never retried. */
        UNAUTHORIZED,
        /** Any other 4xx (a 400 to a reaction or a deletion included): the request can never succeed. Never retried. */
        REJECTED,
        /** 5xx or 429: Evolution or WhatsApp failed this time. Retried. */
        SERVER_ERROR,
        /** No connection could be made: nothing was sent. Retried. */
        UNREACHABLE,
        /** The request went out but no answer came (timeout, connection lost): it may or may not have been sent. */
        NO_ANSWER;

        /** Whether the instance is failing: what the circuit breaker counts. */
        boolean instanceFailure() {
            return this == SERVER_ERROR || this == UNREACHABLE || this == NO_ANSWER;
        }
    }

    /** The {@code result} tag of the call latency metric. */
    String metricTag() {
        return switch (kind) {
            case SENT -> "2xx";
            case NOT_ON_WHATSAPP, UNAUTHORIZED, REJECTED -> "4xx";
            case SERVER_ERROR -> status == 429 ? "429" : "5xx";
            case UNREACHABLE -> "unreachable";
            case NO_ANSWER -> "no_answer";
        };
    }
}
