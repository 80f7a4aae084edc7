package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.Atendentes.assign;
import static dev.chatcentral.processor.topology.Atendentes.reply;
import static dev.chatcentral.processor.topology.Atendentes.resend;
import static dev.chatcentral.processor.topology.Atendentes.result;
import static dev.chatcentral.processor.topology.Atendentes.sent;
import static dev.chatcentral.processor.topology.Atendentes.unconfirmed;
import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;
import static dev.chatcentral.processor.topology.Webhooks.conversation;
import static dev.chatcentral.processor.topology.Webhooks.customerText;
import static dev.chatcentral.processor.topology.Webhooks.key;
import static dev.chatcentral.processor.topology.Webhooks.receipt;
import static dev.chatcentral.processor.topology.Webhooks.sendMessage;
import static dev.chatcentral.processor.topology.Webhooks.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import dev.chatcentral.schemas.conversa.Mensagem;
import dev.chatcentral.schemas.conversa.MensagemStatus;
import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundResult;

/**
 * Issue 19's promise, by property: whatever Evolution does with one reply (answers, fails, times out having sent it or
 * not; echoes it before or after the result, twice, as {@code send.message} or as a {@code fromMe} upsert; delivers
 * it; the unconfirmed window passes; the atendente presses resend at any moment), the record never shows two
 * mensagens for one WhatsApp message, nor a failed reply that WhatsApp has.
 */
class ReplyFatePropertiesTest {

    private static final String TEXT = "Sim! Entregamos até 18h.";
    private static final String KEY = "3EB0FIRST";
    private static final String RESENT_KEY = "3EB0RESENT";

    /** What became of the first send. */
    enum Fate {
        SENT, NOT_ON_WHATSAPP, INSTANCE_UNAVAILABLE, UNCONFIRMED_BUT_SENT, UNCONFIRMED_AND_LOST;

        boolean reachedWhatsApp() {
            return this == SENT || this == UNCONFIRMED_BUT_SENT;
        }
    }

    /** One thing that happens after the atendente's reply was handed to the dispatcher. */
    enum Step { RESULT, ECHO, ECHO_AGAIN, DELIVERED, READ, WINDOW_PASSES, RESEND }

    record Story(Fate fate, boolean echoAsUpsert, List<Step> steps) {
    }

    @Provide
    Arbitrary<Story> stories() {
        Arbitrary<List<Step>> order = Arbitraries.of(Step.values()).list().ofMinSize(2).ofMaxSize(9)
                .map(ReplyFatePropertiesTest::playable);
        return Combinators.combine(Arbitraries.of(Fate.class), Arbitraries.of(true, false), order).as(Story::new);
    }

    /** The result comes once; receipts come after the echo (WhatsApp acknowledges what Evolution reported sent). */
    private static List<Step> playable(List<Step> drawn) {
        List<Step> steps = new ArrayList<>(drawn.stream().filter(s -> s != Step.RESULT).toList());
        steps.add(drawn.indexOf(Step.RESULT) < 0 ? 0 : Math.min(drawn.indexOf(Step.RESULT), steps.size()),
                Step.RESULT);
        List<Step> ordered = new ArrayList<>();
        boolean echoed = false;
        List<Step> waiting = new ArrayList<>();
        for (Step step : steps) {
            if ((step == Step.DELIVERED || step == Step.READ || step == Step.ECHO_AGAIN) && !echoed) {
                waiting.add(step);
                continue;
            }
            ordered.add(step);
            if (step == Step.ECHO) {
                echoed = true;
                ordered.addAll(waiting);
                waiting.clear();
            }
        }
        return ordered;
    }

    @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
    void shouldNeverShowTwoMensagensForOneWhatsAppMessageNorAFailedReplyThatWhatsAppHas(
            @ForAll("stories") Story story) throws IOException {
        Path stateDir = Files.createTempDirectory("reply-fate");
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            Played played = play(t, story);
            Map<String, Mensagem> last = new LinkedHashMap<>();
            played.mensagens.forEach(m -> last.put(m.mensagemId(), m));
            List<Mensagem> replies = last.values().stream().filter(m -> m.fromMe() && TEXT.equals(m.text())).toList();

            // one mensagem per WhatsApp message: each key names one mensagem, and the texts reaching WhatsApp make
            // as many mensagens as WhatsApp holds (one, the reply itself, when nothing reached it)
            assertThat(replies.stream().map(Mensagem::keyId).filter(k -> !k.startsWith("pending:")))
                    .doesNotHaveDuplicates();
            assertThat(replies).hasSize(Math.max(1, played.whatsAppHas.size()));

            // WhatsApp's word wins: a key it delivered is never shown failed
            for (Mensagem reply : replies) {
                if (played.delivered.contains(reply.keyId())) {
                    assertThat(reply.status().rank()).isGreaterThanOrEqualTo(MensagemStatus.DELIVERY_ACK.rank());
                }
                if (played.whatsAppHas.contains(reply.keyId())) {
                    assertThat(reply.status()).isNotIn(MensagemStatus.ERROR, MensagemStatus.UNCONFIRMED);
                }
            }
            Statistics.label("fate").collect(story.fate());
            Statistics.label("resent").collect(played.resent);
        } finally {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final class Played {
        final List<Mensagem> mensagens = new ArrayList<>();
        /** The WhatsApp keys Evolution echoed: the messages WhatsApp holds. */
        final Set<String> whatsAppHas = new HashSet<>();
        final Set<String> delivered = new HashSet<>();
        boolean resent;
    }

    private static Played play(TopologyFixture t, Story story) {
        Played played = new Played();
        t.send(customerText("C1", "Oi, vocês entregam hoje?"));
        t.sessionOpened(TopologyFixture.EMPRESA, Atendentes.ANA, "Ana");
        t.command(assign("a1"));
        t.drainOutputs();
        t.command(reply("r1", TEXT));
        OutboundMessage first = t.outbound.readValue();
        boolean reached = story.fate().reachedWhatsApp();
        for (Step step : story.steps()) {
            switch (step) {
                case RESULT -> t.result(firstResult(first, story.fate()));
                case ECHO, ECHO_AGAIN -> {
                    if (reached) {
                        t.send(echo(KEY, story.echoAsUpsert()));
                        played.whatsAppHas.add(KEY);
                    }
                }
                case DELIVERED, READ -> {
                    if (reached) {
                        t.send(receipt(KEY, true, step == Step.READ ? "READ" : "DELIVERY_ACK"));
                        played.delivered.add(KEY);
                    }
                }
                case WINDOW_PASSES -> t.advance(TopologyFixture.UNCONFIRMED_WINDOW.plusSeconds(30));
                case RESEND -> {
                    t.recordTime = t.recordTime.plus(Duration.ofMinutes(5));
                    t.command(resend("again-" + t.recordTime.getEpochSecond(), first.mensagemId()));
                    for (OutboundMessage again : t.outbound.readValuesToList()) {
                        played.resent = true;
                        t.result(sent(again, RESENT_KEY));
                        t.send(sendMessage(RESENT_KEY, TEXT));
                        t.send(receipt(RESENT_KEY, true, "DELIVERY_ACK"));
                        played.whatsAppHas.add(RESENT_KEY);
                        played.delivered.add(RESENT_KEY);
                    }
                }
            }
            played.mensagens.addAll(t.mensagens.readValuesToList());
        }
        // a result never given is the dispatcher's to give: it comes before the story ends
        if (!story.steps().contains(Step.RESULT)) {
            t.result(firstResult(first, story.fate()));
        }
        t.advanceInSteps(Duration.ofSeconds(20));
        played.mensagens.addAll(t.mensagens.readValuesToList());
        return played;
    }

    private static OutboundResult firstResult(OutboundMessage first, Fate fate) {
        return switch (fate) {
            case SENT -> sent(first, KEY);
            case NOT_ON_WHATSAPP -> result(first, OutboundResult.FAILED, null, "not_on_whatsapp", "not on WhatsApp",
                    null);
            case INSTANCE_UNAVAILABLE -> result(first, OutboundResult.FAILED, null,
                    OutboundResult.INSTANCE_UNAVAILABLE, "unavailable", null);
            case UNCONFIRMED_BUT_SENT, UNCONFIRMED_AND_LOST -> unconfirmed(first);
        };
    }

    private static byte[] echo(String keyId, boolean asUpsert) {
        return asUpsert ? upsert(key(CUSTOMER_JID, true, keyId), "Você", conversation(TEXT), "conversation",
                SENT_AT + 60) : sendMessage(keyId, TEXT);
    }
}
