package dev.chatcentral.bench.peers;

/**
 * A server that pushes an empresa's events to its agents' WebSocket connections: chat-central's gateway, or peer B.
 * Each measures itself with the client that speaks its protocol; both run on the same terms (one process, the same
 * connections, tokens and empresa, the same events and pauses).
 */
interface Relay extends AutoCloseable {

    /**
     * Idle connections held past a heartbeat: the server's growth per connection. Socket.IO's resident figure is its
     * process's growth; the gateway's is its growth outside the heap (the heap touched whole at start) plus its live
     * heap per connection after a full collection: a JVM's resident growth alone would count the young-generation
     * regions first touched while the connections were opened, 14 to 47 KiB per connection from one run to the next.
     */
    record Idle(String system, int asked, int connected, double rssKiBPerConnection, double heapKiBPerConnection) {
    }

    /** One event to every subscriber, {@value #EVENTS} times: the last copy of each event and every copy. */
    record Fanout(String system, int subscribers, long copiesExpected, long copiesReceived, double lastCopyP50Ms,
                  double lastCopyP99Ms, double everyCopyP99Ms) {
    }

    int EVENTS = 50;
    int WARM_UP_EVENTS = 20;
    int PAUSE_MS = 200;
    /** Seconds the idle connections are held: past one 25 s ping of either server. */
    int HOLD_SECONDS = 30;
    /**
     * Connections opened, held a few seconds and closed before the baseline: the server's first-connection costs,
     * and the memory its allocator or collector touches for the churn of opening connections (a JVM's young
     * generation, V8's new space), are then in the baseline, so the growth measured is what the connections hold.
     */
    int WARM_CONNECTIONS = 2_000;
    /** How long the warm connections are held, and then how long the server has to let them go. */
    int WARM_HOLD_MS = 3_000;
    /** Client reader threads for a fan-out: a single one reading 10,000 sockets would measure itself. */
    int CLIENT_THREADS = 2;

    String name();

    Idle idle(int connections) throws Exception;

    /** Publishes the next event once every copy of the previous arrived and the pause passed. */
    Fanout fanout(int subscribers) throws Exception;
}
