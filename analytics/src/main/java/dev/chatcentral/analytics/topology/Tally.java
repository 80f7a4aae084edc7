package dev.chatcentral.analytics.topology;

import dev.chatcentral.schemas.metrics.ServiceMetrics.Figures;

/** Additions to a window's {@link Figures}: sums and counts add up, maxima keep the larger. */
final class Tally {

    private Tally() {
    }

    static Figures add(Figures a, Figures b) {
        return new Figures(
                a.assigned() + b.assigned(),
                a.firstAssignmentMsSum() + b.firstAssignmentMsSum(),
                Math.max(a.firstAssignmentMsMax(), b.firstAssignmentMsMax()),
                a.firstResponses() + b.firstResponses(),
                a.firstResponseMsSum() + b.firstResponseMsSum(),
                Math.max(a.firstResponseMsMax(), b.firstResponseMsMax()),
                a.closed() + b.closed(),
                a.handlingMsSum() + b.handlingMsSum(),
                Math.max(a.handlingMsMax(), b.handlingMsMax()),
                a.mensagensIn() + b.mensagensIn(),
                a.mensagensOut() + b.mensagensOut(),
                a.slaBreaches() + b.slaBreaches());
    }

    static Figures assigned(long ms) {
        return new Figures(1, ms, ms, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static Figures firstResponse(long ms) {
        return new Figures(0, 0, 0, 1, ms, ms, 0, 0, 0, 0, 0, 0);
    }

    static Figures closed(long handlingMs) {
        return new Figures(0, 0, 0, 0, 0, 0, 1, handlingMs, handlingMs, 0, 0, 0);
    }

    static Figures mensagem(boolean fromMe) {
        return new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, fromMe ? 0 : 1, fromMe ? 1 : 0, 0);
    }

    /** One breach, or -1 to take back one counted while the application lagged behind what had happened. */
    static Figures breaches(long count) {
        return new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count);
    }
}
