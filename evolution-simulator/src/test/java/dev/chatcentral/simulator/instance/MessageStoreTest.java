package dev.chatcentral.simulator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.chatcentral.simulator.webhook.EvolutionPayloads;

class MessageStoreTest {

    private final MessageStore store = new MessageStore();

    @Test
    void shouldKeepOnlyTheLatestMessagesOfAnInstance() {
        for (int i = 0; i < MessageStore.CAPACITY + 5; i++) {
            store.add("loja-01", EvolutionPayloads.sentText("loja-01", "5511988887777@s.whatsapp.net", "n" + i,
                    "ID" + i, 1_761_057_700L));
        }
        store.add("loja-02", EvolutionPayloads.sentText("loja-02", "5511988887777@s.whatsapp.net", "outra", "X",
                1_761_057_700L));

        MessageStore.Page page = store.find("loja-01", m -> true, 1, MessageStore.CAPACITY);

        assertThat(page.total()).isEqualTo(MessageStore.CAPACITY);
        assertThat(page.records()).extracting(r -> r.at("/key/id").asString()).containsExactly("ID5");
        assertThat(store.find("loja-02", m -> true, 50, 1).total()).isEqualTo(1);
    }

    @Test
    void shouldRecordReceiptsOfAStoredMessageOnly() {
        store.add("loja-01", EvolutionPayloads.sentText("loja-01", "5511988887777@s.whatsapp.net", "Oi", "A",
                1_761_057_700L));
        store.receipt("loja-01", "A", "DELIVERY_ACK");
        store.receipt("loja-01", "unknown", "READ");
        store.receipt("loja-09", "A", "READ");

        assertThat(store.find("loja-01", m -> true, 50, 1).records().get(0).get("MessageUpdate"))
                .extracting(u -> u.get("status").asString()).containsExactly("DELIVERY_ACK");
    }
}
