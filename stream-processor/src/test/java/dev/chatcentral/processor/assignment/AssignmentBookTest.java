package dev.chatcentral.processor.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import dev.chatcentral.processor.conversa.Conversas;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;
import dev.chatcentral.schemas.presence.PresenceSnapshot;
import dev.chatcentral.schemas.presence.PresenceStatus;
import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The book's catch-up with conversas a task kept before automatic assignment existed: their loads counted and the
 * waiting ones queued by when they started waiting, once.
 */
class AssignmentBookTest {

    private static final String EMPRESA = "emp-1";
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
    private final KeyValueStore<String, Conversa> byKey = store("conversas", Topics.CONVERSAS.valueSerde());
    private final Conversas conversas = new Conversas(byKey, store("ids", Serdes.String()));
    private final AssignmentBook book = new AssignmentBook(store("settings", Topics.EMPRESA_SETTINGS.valueSerde()),
            store("online", Serdes.String()), store("queue", Serdes.String()), store("loads", Serdes.Integer()));

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private static Conversa conversa(String id, ConversaStatus status, String atendenteId, int minutes) {
        return new Conversa(id, EMPRESA, "loja-01", id + "@s.whatsapp.net", null, null, status, atendenteId, 0, null,
                null, 3, T0, T0.plusSeconds(60L * minutes));
    }

    @Test
    void shouldCountTheLoadsHeldAndQueueTheWaitingByWhenTheyStartedWaitingOnce() {
        conversas.put(conversa("c-late", ConversaStatus.AGUARDANDO, null, 30));
        conversas.put(conversa("c-early", ConversaStatus.AGUARDANDO, null, 5));
        conversas.put(conversa("c-ana-1", ConversaStatus.EM_ATENDIMENTO, "ana", 1));
        conversas.put(conversa("c-ana-2", ConversaStatus.AGUARDANDO, "ana", 2));
        conversas.put(conversa("c-ana-closed", ConversaStatus.ENCERRADA, "ana", 3));

        book.catchUp(byKey);
        book.catchUp(byKey);

        assertThat(book.load(EMPRESA, "ana")).isEqualTo(2);
        assertThat(book.waiting(EMPRESA)).containsExactly("c-early", "c-late");
        assertThat(book.takeMarked()).containsExactly(EMPRESA);
        book.settingsChanged(EMPRESA, new EmpresaSettings(EMPRESA, 1, new EmpresaSettings.Assignment(
                EmpresaSettings.Assignment.ROUND_ROBIN, 2, Map.of(), 0), T0, "dona"));
        book.presenceChanged(EMPRESA, new PresenceSnapshot(EMPRESA, List.of(
                new PresenceSnapshot.OnlineUser("ana", null, PresenceStatus.DISPONIVEL, T0),
                new PresenceSnapshot.OnlineUser("bia", null, PresenceStatus.DISPONIVEL, T0)), 2, 1, T0),
                T0.toEpochMilli());
        // ana is at capacity with what she held before: bia takes the oldest
        assertThat(book.next(EMPRESA, conversas::byId)).isEqualTo(new AssignmentBook.Decision("c-early", "bia"));
    }
}
