package dev.chatcentral.processor.sla;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chatcentral.processor.command.Replies;
import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.processor.conversa.DeterministicIds;
import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.processor.conversa.MensagemIndex;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.event.EventType;
import dev.chatcentral.schemas.event.RealtimeEvent;
import dev.chatcentral.schemas.event.SlaTimerData;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.settings.EmpresaSettings;

/**
 * The SLA clock of each conversa held by an atendente (docs/assignment.md "SLA timers"), kept in the task beside the
 * conversas and told of every change of a conversa ({@link Conversas.Listener}) and every mensagem written
 * ({@link MensagemIndex.Listener}), in the write that makes it, so the clocks move exactly once with the inputs:
 *
 * <ul>
 * <li>a conversa assigned (by hand, automatically, by a transfer from the queue) or reopened with its atendente
 * starts the first-response clock; one transferred to another atendente keeps its clock, owed by the new one; one
 * closed or back in the queue has none;</li>
 * <li>an atendente's reply (a mensagem chat-central sent for a command, whose WhatsApp key it made up until the
 * dispatcher's result) stops the running clock: the conversa waits on the customer, and no clock runs;</li>
 * <li>a customer's mensagem while the conversa waits on the customer starts the next-response clock; while a clock
 * runs, it changes nothing (the response is owed since the earlier one);</li>
 * <li>a company mensagem that is no atendente's reply (typed on the phone, an automation, a bot) changes nothing.</li>
 * </ul>
 *
 * A clock's due time is fixed when it starts, from the empresa's settings then: its target in business time
 * ({@link BusinessHours}), and the warning that many business seconds before. {@link #due} finds the clocks whose
 * warning or due time has come, by a second store ordered by that time.
 */
public final class SlaClocks implements Conversas.Listener, MensagemIndex.Listener {

    private static final Logger log = LoggerFactory.getLogger(SlaClocks.class);

    /**
     * One conversa's clock.
     *
     * @param atendenteId who holds the conversa and owes the response
     * @param replied     whether an atendente replied since the conversa was assigned or reopened: the customer's
     *                    next mensagem then starts the next-response clock
     * @param kind        the running clock's {@link SlaTimerData#KINDS kind}, null while none runs
     * @param dueAt       null when the target is off, or further away than {@link BusinessHours} looks
     * @param warnAt      null without a warning
     */
    public record Clock(String empresaId, String conversaId, String atendenteId, boolean replied, String kind,
                        Instant startedAt, Instant dueAt, Instant warnAt, boolean warned, boolean breached) {

        /** When this clock next warns or breaches, or null when it never will. */
        Instant nextFiring() {
            if (!warned && warnAt != null) {
                return warnAt;
            }
            return !breached ? dueAt : null;
        }

        Clock heldBy(String next) {
            return new Clock(empresaId, conversaId, next, replied, kind, startedAt, dueAt, warnAt, warned, breached);
        }

        /** Stopped by an atendente's reply: the conversa waits on the customer. */
        Clock answered() {
            return new Clock(empresaId, conversaId, atendenteId, true, null, null, null, null, false, false);
        }

        Clock fired(boolean warning, boolean breach) {
            return new Clock(empresaId, conversaId, atendenteId, replied, kind, startedAt, dueAt, warnAt,
                    warned || warning, breached || breach);
        }
    }

    private final KeyValueStore<String, Clock> clocks;
    private final KeyValueStore<String, String> firings;
    private final KeyValueStore<String, Conversa> conversas;
    private boolean firingAdded;
    private final Function<String, EmpresaSettings> settings;

    /**
     * @param clocks    conversaId → its clock
     * @param firings   {@code millis|conversaId} of each clock's next warning or due time → conversaId, in time order
     * @param conversas the conversa store ({@link Conversas#store()}), by store key
     * @param settings  each empresa's settings now
     */
    public SlaClocks(KeyValueStore<String, Clock> clocks, KeyValueStore<String, String> firings,
                     KeyValueStore<String, Conversa> conversas, Function<String, EmpresaSettings> settings) {
        this.clocks = clocks;
        this.firings = firings;
        this.conversas = conversas;
        this.settings = settings;
    }

    @Override
    public void changed(Conversa before, Conversa after) {
        String heldBefore = holder(before);
        String heldAfter = holder(after);
        if (Objects.equals(heldBefore, heldAfter)) {
            return;
        }
        Clock clock = clocks.get(after.conversaId());
        if (heldAfter == null) {
            save(clock, null);
        } else if (heldBefore == null) {
            save(clock, settings.apply(after.empresaId()).sla().on() ? start(after.empresaId(), after.conversaId(),
                    heldAfter, false, SlaTimerData.FIRST_RESPONSE, after.updatedAt()) : null);
        } else if (clock != null) {
            save(clock, clock.heldBy(heldAfter));
        }
    }

    @Override
    public void written(Mensagem mensagem, String conversaKey) {
        if (mensagem.revision() != 0) {
            return;
        }
        if (mensagem.fromMe()) {
            // only a reply sent for an atendente's command is made with a key of chat-central's own
            if (Replies.hasProvisionalKeyId(mensagem)) {
                Clock clock = clocks.get(mensagem.conversaId());
                if (clock != null && (clock.kind() != null || !clock.replied())) {
                    save(clock, clock.answered());
                }
            }
            return;
        }
        Clock clock = clocks.get(mensagem.conversaId());
        if (clock != null) {
            if (clock.kind() == null && clock.replied()) {
                save(clock, start(clock.empresaId(), clock.conversaId(), clock.atendenteId(), true,
                        SlaTimerData.NEXT_RESPONSE, mensagem.receivedAt()));
            }
            return;
        }
        // a conversa held since before its empresa measured an SLA: the customer waits on a response from now
        if (!settings.apply(mensagem.empresaId()).sla().on()) {
            return;
        }
        Conversa conversa = conversas.get(conversaKey);
        String holder = holder(conversa);
        if (holder != null) {
            save(null, start(conversa.empresaId(), conversa.conversaId(), holder, true, SlaTimerData.NEXT_RESPONSE,
                    mensagem.receivedAt()));
        }
    }

    /**
     * Punctuation: the warnings and breaches due at {@code nowMillis} (wall clock), each once per clock, as events
     * with the writes that mark them done.
     */
    public Effects due(long nowMillis) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = firings.range(firingKey(0, ""),
                firingKey(nowMillis + 1, ""))) {
            entries.forEachRemaining(due::add);
        }
        Instant now = Instant.ofEpochMilli(nowMillis);
        Effects.Builder effects = Effects.builder();
        for (KeyValue<String, String> entry : due) {
            Clock clock = clocks.get(entry.value);
            Instant firing = clock == null ? null : clock.nextFiring();
            if (firing == null || !entry.key.equals(firingKey(firing.toEpochMilli(), clock.conversaId()))) {
                effects.write(() -> firings.delete(entry.key));
                continue;
            }
            boolean warning = !clock.warned() && clock.warnAt() != null && !clock.warnAt().isAfter(now);
            boolean breach = !clock.breached() && clock.dueAt() != null && !clock.dueAt().isAfter(now);
            Clock fired = clock.fired(warning, breach);
            try {
                if (warning) {
                    effects.event(event(clock, EventType.SLA_WARNING, now));
                }
                if (breach) {
                    effects.event(event(clock, EventType.SLA_BREACHED, now));
                }
            } catch (IllegalArgumentException e) {
                // a clock no event can name (an id no channel takes) must not stop the task's other clocks
                log.warn("dropping the SLA clock of conversa {}: {}", clock.conversaId(), e.getMessage());
                effects.write(() -> save(clock, null));
                continue;
            }
            effects.write(() -> save(clock, fired));
        }
        return effects.build();
    }

    /** A clock of {@code kind} from {@code startedAt}, by the empresa's settings now; none runs when it is off. */
    private Clock start(String empresaId, String conversaId, String atendenteId, boolean replied, String kind,
                        Instant startedAt) {
        EmpresaSettings.Sla sla = settings.apply(empresaId).sla();
        int target = SlaTimerData.FIRST_RESPONSE.equals(kind) ? sla.firstResponseSeconds()
                : sla.nextResponseSeconds();
        BusinessHours hours = target == 0 || startedAt == null ? null : hours(empresaId);
        if (hours == null) {
            return new Clock(empresaId, conversaId, atendenteId, replied, null, null, null, null, false, false);
        }
        Instant dueAt = hours.plus(startedAt, target).orElse(null);
        Instant warnAt = sla.warningBeforeSeconds() > 0 && dueAt != null
                ? hours.plus(startedAt, target - sla.warningBeforeSeconds()).orElse(null) : null;
        return new Clock(empresaId, conversaId, atendenteId, replied, kind, startedAt, dueAt, warnAt, false, false);
    }

    /** The empresa's business hours, or null when its calendar cannot be read (then no clock runs). */
    private BusinessHours hours(String empresaId) {
        try {
            return BusinessHours.of(settings.apply(empresaId).calendar());
        } catch (IllegalArgumentException | DateTimeException e) {
            // the settings were checked when they arrived; a time zone this JVM no longer knows is all that is left
            log.warn("no SLA clock for empresa {}: its calendar cannot be used: {}", empresaId, e.getMessage());
            return null;
        }
    }

    /** Replaces {@code before} by {@code after} (null: no clock), and its place in the firing order. */
    /**
     * Whether a warning or due time was added since the last call. The task looks for due clocks only while it has
     * some: a wall-clock punctuation makes Kafka Streams commit the task, so a punctuator running every second with
     * nothing to do had every idle task commit a transaction every second.
     */
    public boolean firingAdded() {
        boolean added = firingAdded;
        firingAdded = false;
        return added;
    }

    /** Whether any clock still has a warning or due time to come. */
    public boolean anyFiring() {
        try (KeyValueIterator<String, String> entries = firings.all()) {
            return entries.hasNext();
        }
    }

    private void save(Clock before, Clock after) {
        if (Objects.equals(before, after)) {
            return;
        }
        Instant was = before == null ? null : before.nextFiring();
        Instant next = after == null ? null : after.nextFiring();
        if (was != null && !was.equals(next)) {
            firings.delete(firingKey(was.toEpochMilli(), before.conversaId()));
        }
        if (after != null) {
            clocks.put(after.conversaId(), after);
        } else if (before != null) {
            clocks.delete(before.conversaId());
        }
        if (next != null && !next.equals(was)) {
            firings.put(firingKey(next.toEpochMilli(), after.conversaId()), after.conversaId());
            firingAdded = true;
        }
    }

    /** Zero-padded, so the store's byte order is time order. */
    private static String firingKey(long millis, String conversaId) {
        return String.format("%019d|%s", millis, conversaId);
    }

    private RealtimeEvent event(Clock clock, String type, Instant now) {
        SlaTimerData data = new SlaTimerData(clock.conversaId(), clock.atendenteId(), clock.kind(), clock.dueAt(),
                clock.startedAt());
        String cause = DeterministicIds.slaCause(clock.empresaId(), clock.conversaId(), clock.kind(),
                clock.startedAt());
        return new RealtimeEvent(DeterministicIds.eventId(cause, type), clock.empresaId(), type,
                List.of(Channel.empresa(clock.empresaId()), Channel.atendente(clock.atendenteId())),
                Json.MAPPER.valueToTree(data), now);
    }

    /** Who holds the conversa: its atendente while it is open, else nobody. */
    private static String holder(Conversa conversa) {
        return conversa != null && conversa.status() != ConversaStatus.ENCERRADA ? conversa.atendenteId() : null;
    }
}
