package dev.chatcentral.gateway.delivery;

/**
 * Why a new session gets no place on this node, as its HTTP answer says it: 503 when the node is stopping or full
 * (another node can take the client), 429 when the user or the empresa holds its most sessions here.
 *
 * @param status            the HTTP status
 * @param code              the {@code error} of the JSON body, and the {@code reason} tag of the refusal metric
 * @param reason            what happened and what to do, for people reading the body
 * @param retryAfterSeconds the {@code Retry-After} header
 */
public record ConnectionRefusal(int status, String code, String reason, int retryAfterSeconds) {

    static ConnectionRefusal shuttingDown() {
        return new ConnectionRefusal(503, "shutting_down", "this node is shutting down, connect to another node", 1);
    }

    static ConnectionRefusal nodeFull(int limit) {
        return new ConnectionRefusal(503, "max_connections", "this node holds its maximum of " + limit
                + " connections, retry later or another node", 5);
    }

    static ConnectionRefusal userFull(int limit) {
        return new ConnectionRefusal(429, "max_connections_per_user", "you hold " + limit
                + " connections on this node, the most one user may: close one (a tab, a device) and retry", 5);
    }

    static ConnectionRefusal empresaFull(int limit) {
        return new ConnectionRefusal(429, "max_connections_per_empresa", "your empresa holds " + limit
                + " connections on this node, the most one empresa may: retry later", 5);
    }
}
