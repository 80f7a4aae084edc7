package dev.chatcentral.processor.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * What was handed to the dispatcher and is not settled yet, per conversa. A reply is kept under
 * {@code conversaKey|mensagemId} (the last {@link OutboundMessage} of that mensagem): awaiting its result, unconfirmed
 * and waiting for evidence, or failed and waiting for a resend. A reaction or a deletion is kept under
 * {@code conversaKey|mensagemId|kind} until its result. A result applies only to the send it names (its commandId),
 * so a stale or repeated result changes nothing; a resend reuses the quote of the failed send. An entry goes when
 * its send is settled as sent, or after the retention.
 */
public final class PendingSends {

    private static final StringSerializer KEYS = new StringSerializer();

    /**
     * @param awaitingResult true from the send until its result
     * @param touchedAt      wall-clock millis of the last change, for retention
     * @param settleBy       for an UNCONFIRMED reply: wall-clock millis by which evidence must have come, after which
     *                       it is ERROR; 0 otherwise
     */
    public record PendingSend(OutboundMessage message, boolean awaitingResult, long touchedAt, long settleBy) {

        public PendingSend(OutboundMessage message, boolean awaitingResult, long touchedAt) {
            this(message, awaitingResult, touchedAt, 0);
        }

        public boolean reply() {
            return OutboundMessage.REPLY.equals(message.effectiveKind());
        }

        public boolean unconfirmed() {
            return settleBy > 0;
        }
    }

    private final KeyValueStore<String, PendingSend> sends;
    private final long retentionMillis;

    public PendingSends(KeyValueStore<String, PendingSend> sends, Duration retention) {
        this.sends = sends;
        this.retentionMillis = retention.toMillis();
    }

    /** The reply of mensagem {@code mensagemId}. */
    public PendingSend get(String conversaKey, String mensagemId) {
        return sends.get(key(conversaKey, mensagemId, OutboundMessage.REPLY));
    }

    /** The send of this kind about mensagem {@code mensagemId}: its reply, or a reaction to or deletion of it. */
    public PendingSend get(String conversaKey, String mensagemId, String kind) {
        return sends.get(key(conversaKey, mensagemId, kind));
    }

    public void put(String conversaKey, PendingSend send) {
        sends.put(key(conversaKey, send.message().mensagemId(), send.message().effectiveKind()), send);
    }

    public void remove(String conversaKey, PendingSend send) {
        sends.delete(key(conversaKey, send.message().mensagemId(), send.message().effectiveKind()));
    }

    /** Whether a reply of this conversa was handed to the dispatcher and its result has not come back yet. */
    public boolean awaitingIn(String conversaKey) {
        return replies(conversaKey).stream().anyMatch(PendingSend::awaitingResult);
    }

    /** The replies of this conversa that are not awaiting a result: unconfirmed, or failed. */
    public List<PendingSend> settledWithoutKey(String conversaKey) {
        return replies(conversaKey).stream().filter(send -> !send.awaitingResult()).toList();
    }

    /** An unconfirmed reply whose evidence is overdue, under its key in the store. */
    public record Overdue(String storeKey, PendingSend send) {
    }

    /** The unconfirmed replies whose evidence is overdue at {@code nowMillis}. */
    public List<Overdue> overdue(long nowMillis) {
        List<Overdue> due = new ArrayList<>();
        forEach((key, send) -> {
            if (send.unconfirmed() && send.settleBy() <= nowMillis) {
                due.add(new Overdue(key, send));
            }
        });
        return due;
    }

    /** Forgets an overdue reply whose mensagem is no longer known (past the index's retention). */
    public void forget(Overdue overdue) {
        sends.delete(overdue.storeKey());
    }

    /** Whether any reply of this task waits for evidence. */
    public boolean anyUnconfirmed() {
        try (KeyValueIterator<String, PendingSend> all = sends.all()) {
            while (all.hasNext()) {
                if (all.next().value.unconfirmed()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Deletes the entries untouched for longer than the retention; returns how many. */
    public int purge(long nowMillis) {
        List<String> expired = new ArrayList<>();
        forEach((key, send) -> {
            if (nowMillis - send.touchedAt() >= retentionMillis) {
                expired.add(key);
            }
        });
        expired.forEach(sends::delete);
        return expired.size();
    }

    private List<PendingSend> replies(String conversaKey) {
        List<PendingSend> replies = new ArrayList<>();
        try (KeyValueIterator<String, PendingSend> conversa = sends.prefixScan(conversaKey + "|", KEYS)) {
            while (conversa.hasNext()) {
                PendingSend send = conversa.next().value;
                if (send.reply()) {
                    replies.add(send);
                }
            }
        }
        return replies;
    }

    private void forEach(BiConsumer<String, PendingSend> action) {
        try (KeyValueIterator<String, PendingSend> all = sends.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingSend> entry = all.next();
                action.accept(entry.key, entry.value);
            }
        }
    }

    /** A reply keeps the key it had before other kinds existed, so stores written then are still read. */
    private static String key(String conversaKey, String mensagemId, String kind) {
        String reply = conversaKey + "|" + mensagemId;
        return OutboundMessage.REPLY.equals(kind) ? reply : reply + "|" + kind;
    }
}
