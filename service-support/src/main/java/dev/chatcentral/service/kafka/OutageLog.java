package dev.chatcentral.service.kafka;

import org.slf4j.Logger;

/**
 * For writes whose next one replaces the last (heartbeats, metrics samples): one line when they start failing and one
 * when they work again, instead of one per failed write.
 */
public final class OutageLog {

    private final Logger log;
    private final String what;
    private boolean failing;

    /** @param what what is written, for the log lines ("this node's heartbeat", say) */
    public OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /**
     * The outcome of one write: {@code error} null when it was acknowledged.
     *
     * @return true when this write worked after one or more that failed
     */
    public synchronized boolean record(Throwable error) {
        boolean recovered = error == null && failing;
        if (error != null && !failing) {
            log.warn("cannot write {}: {}; retrying at the next one", what, error.toString());
        } else if (recovered) {
            log.info("{} written again", what);
        }
        failing = error != null;
        return recovered;
    }
}
