package dev.chatcentral.dispatcher;

import static dev.chatcentral.dispatcher.DispatchReplySenderTest.record;
import static dev.chatcentral.dispatcher.DispatchReplySenderTest.records;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.serde.Json;

/** How a findMessages answer is matched to a reply that got no answer. */
class SentLookupTest {

    private static final Instant FIRST_CALL = Instant.parse("2026-11-29T19:40:00.700Z");
    private static final long AT = FIRST_CALL.getEpochSecond();

    @Test
    void shouldAskForTheNumbersChatOrTheFullJidOfAGroup() {
        assertThat(Json.MAPPER.readTree(SentLookup.body("5511988887777"))).isEqualTo(Json.MAPPER.readTree(
                "{\"where\":{\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\",\"fromMe\":true}},"
                        + "\"offset\":20,\"page\":1}"));
        assertThat(Json.MAPPER.readTree(SentLookup.body("120363025246125888@g.us")).at("/where/key/remoteJid")
                .asString()).isEqualTo("120363025246125888@g.us");
    }

    @Test
    void shouldMatchTheRecordWithTheSameTextSentSinceTheFirstCall() {
        String answer = records(record("NEWER-OTHER", "Outra coisa", AT + 3), record("MINE", "Oi, tudo bem?", AT + 1),
                record("BEFORE", "Oi, tudo bem?", AT - 60));

        assertThat(SentLookup.match(answer, "Oi, tudo bem?", FIRST_CALL)).contains("MINE");
        assertThat(SentLookup.match(answer, "Oi, tudo bem", FIRST_CALL)).isEmpty();
        assertThat(SentLookup.match(answer, "Outra coisa", FIRST_CALL.plusSeconds(10))).isEmpty();
    }

    @Test
    void shouldCountTheSecondTheFirstCallStartedIn() {
        // WhatsApp's timestamps are whole seconds: a reply sent at .900 of the first call's second reads as .000
        assertThat(SentLookup.match(records(record("MINE", "Oi", AT)), "Oi", FIRST_CALL)).contains("MINE");
        assertThat(SentLookup.match(records(record("MINE", "Oi", AT - 1)), "Oi", FIRST_CALL)).isEmpty();
    }

    @Test
    void shouldTakeTheOldestOfEqualRepliesSoTwoInARowAreNotBothMatchedToTheNewest() {
        String answer = records(record("SECOND", "Ok", AT + 4), record("FIRST", "Ok", AT + 2));

        assertThat(SentLookup.match(answer, "Ok", FIRST_CALL)).contains("FIRST");
    }

    @Test
    void shouldReadAnExtendedTextMessageAndATimestampWrittenAsAString() {
        String answer = "{\"messages\":{\"records\":[{\"key\":{\"remoteJid\":\"5511988887777@s.whatsapp.net\","
                + "\"fromMe\":true,\"id\":\"EXT\"},\"message\":{\"extendedTextMessage\":{\"text\":\"Com link "
                + "https://x.y\"}},\"messageTimestamp\":\"" + (AT + 1) + "\"}]}}";

        assertThat(SentLookup.match(answer, "Com link https://x.y", FIRST_CALL)).contains("EXT");
    }

    @Test
    void shouldFindNothingInAnswersOfAnyOtherShape() {
        long ts = AT + 1;
        List<String> answers = List.of("", "null", "not json", "[]", "{}", "{\"messages\":null}",
                "{\"messages\":[]}", "{\"messages\":{\"records\":{}}}",
                "{\"messages\":{\"records\":[1,\"x\",null,[]]}}",
                // no key, key.id not a string or blank, fromMe false
                "{\"messages\":{\"records\":[{\"message\":{\"conversation\":\"Oi\"},\"messageTimestamp\":" + ts
                        + "}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":7},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":" + ts + "}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\" \"},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":" + ts + "}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\",\"fromMe\":false},\"message\":{\"conversation\":"
                        + "\"Oi\"},\"messageTimestamp\":" + ts + "}]}}",
                // text missing or not a string
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"messageTimestamp\":" + ts + "}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":[\"Oi\"]},"
                        + "\"messageTimestamp\":" + ts + "}]}}",
                // timestamp missing, of another type, out of range, fractional, negative
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":\"Oi\"}}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":{\"low\":1,\"high\":0}}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":99999999999999999999999999}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":\"soon\"}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":" + ts + ".5}]}}",
                "{\"messages\":{\"records\":[{\"key\":{\"id\":\"K\"},\"message\":{\"conversation\":\"Oi\"},"
                        + "\"messageTimestamp\":-1}]}}");

        assertThat(answers).allSatisfy(answer -> assertThat(SentLookup.match(answer, "Oi", FIRST_CALL))
                .as(answer).isEmpty());
    }

    @Test
    void shouldMatchAHugeTextOnlyWhenEqual() {
        String huge = "é".repeat(70_000);

        assertThat(SentLookup.match(records(record("HUGE", huge, AT + 1)), huge, FIRST_CALL)).contains("HUGE");
        assertThat(SentLookup.match(records(record("HUGE", huge + "!", AT + 1)), huge, FIRST_CALL)).isEmpty();
    }
}
