package dev.chatcentral.schemas.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one empresa's customer service is doing, as the {@code analytics} application computes it from the public
 * topics ({@code chat.conversas}, {@code chat.mensagens}) and keeps it in {@code chat.service.metrics}
 * (key = empresaId, compacted: the latest figures per empresa). Written every few seconds while anything about the
 * empresa changes or a customer is waiting, so the waits keep growing between events.
 *
 * <p>Durations are whole milliseconds. Windows carry sums and counts, not averages, so a reader can add windows up
 * (an average is {@code sum / count}); a window is tumbling, aligned to the epoch, and a figure belongs to the window
 * of the event time of the change that produced it (a reply answers in the window of the reply).
 *
 * @param ts         when these figures were computed (the analytics application's clock)
 * @param waiting    the empresa's conversas {@code aguardando} now
 * @param longestWaitMs how long the oldest of them has waited at {@code ts}, 0 when none waits
 * @param windows    the current one-minute and one-hour windows ({@link #MINUTE}, {@link #HOUR}), the empresa's
 *                   figures and each atendente's
 * @param atendentes each atendente with a conversa open now: what awaits their reply
 */
public record ServiceMetrics(
        String empresaId,
        Instant ts,
        int waiting,
        long longestWaitMs,
        List<Window> windows,
        List<AtendenteLoad> atendentes) {

    public static final String MINUTE = "1m";
    public static final String HOUR = "1h";

    public ServiceMetrics {
        windows = windows == null ? List.of() : List.copyOf(windows);
        atendentes = atendentes == null ? List.of() : List.copyOf(atendentes);
    }

    /** The window of this size ({@link #MINUTE} or {@link #HOUR}), or null when absent. */
    public Window window(String size) {
        return windows.stream().filter(w -> w.size().equals(size)).findFirst().orElse(null);
    }

    /**
     * One tumbling window's figures.
     *
     * @param size      {@link #MINUTE} or {@link #HOUR}
     * @param empresa   the whole empresa's
     * @param byAtendente each atendente's who did anything in the window (assignments, replies, closes)
     */
    public record Window(String size, Instant start, Instant end, Figures empresa, List<AtendenteFigures> byAtendente) {

        public Window {
            byAtendente = byAtendente == null ? List.of() : List.copyOf(byAtendente);
        }

        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /** One atendente's figures in a window. */
    public record AtendenteFigures(String atendenteId, Figures figures) {
    }

    /**
     * Counters of one window.
     *
     * @param assigned             conversas that got their first atendente
     * @param firstAssignmentMsSum summed wait from a conversa's creation (or reopening) to its first atendente
     * @param firstAssignmentMsMax the longest such wait
     * @param firstResponses       conversas whose customer got a first reply (a mensagem {@code fromMe}) after
     *                             writing first
     * @param firstResponseMsSum   summed time from the customer's first mensagem to that reply
     * @param firstResponseMsMax   the longest such time
     * @param closed               conversas closed ({@code encerrada})
     * @param handlingMsSum        summed time from first assignment to close, over the conversas closed
     * @param handlingMsMax        the longest such time
     * @param mensagensIn          mensagens from customers
     * @param mensagensOut         mensagens from the company (atendentes' replies and the phone itself)
     * @param slaBreaches          first responses and first assignments later than the empresa's targets, each
     *                             counted once, in the window in which the target passed
     */
    public record Figures(
            long assigned,
            long firstAssignmentMsSum,
            long firstAssignmentMsMax,
            long firstResponses,
            long firstResponseMsSum,
            long firstResponseMsMax,
            long closed,
            long handlingMsSum,
            long handlingMsMax,
            long mensagensIn,
            long mensagensOut,
            long slaBreaches) {

        public static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * What awaits one atendente now.
     *
     * @param open               conversas {@code em_atendimento} assigned to them
     * @param awaitingReply      of those, the ones whose latest mensagem is the customer's
     * @param longestAwaitingMs  how long the oldest unanswered customer mensagem among them has waited at {@code ts}
     */
    public record AtendenteLoad(String atendenteId, int open, int awaitingReply, long longestAwaitingMs) {
    }
}
