package dev.chatcentral.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chatcentral.schemas.serde.Json;

/** The shapes of react and delete, read from JSON text as the transports receive it. */
class CommandRequestTest {

    private static final String CONVERSA = UUID.randomUUID().toString();
    private static final String MENSAGEM = UUID.randomUUID().toString();

    private static CommandRequest parse(String json) {
        return CommandRequest.parse(Json.MAPPER.readTree(json));
    }

    private static String react(String emojiJson) {
        return "{\"commandId\":\"c-1\",\"command\":\"react\",\"conversaId\":\"" + CONVERSA + "\",\"mensagemId\":\""
                + MENSAGEM.toUpperCase() + "\",\"emoji\":" + emojiJson + "}";
    }

    @Test
    void shouldReadAReactionWithItsMensagemInLowerCase() {
        CommandRequest request = parse(react("\"\\ud83d\\udc4d\""));

        assertThat(request.command()).isEqualTo("react");
        assertThat(request.mensagemId()).isEqualTo(MENSAGEM);
        assertThat(request.emoji()).isEqualTo("\uD83D\uDC4D");
        assertThat(request.text()).isNull();
    }

    @Test
    void shouldReadAnEmptyEmojiAsTheRemovalOfTheReaction() {
        assertThat(parse(react("\"\"")).emoji()).isEmpty();
    }

    @Test
    void shouldTakeAnEmojiOfSixtyFourCodePointsWithJoinersAndVariationSelectors() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\uFE0F";
        String sixtyFour = family.repeat(8) + "\uD83D\uDC4D".repeat(64 - 8 * 6);

        assertThat(sixtyFour.codePointCount(0, sixtyFour.length())).isEqualTo(64);
        assertThat(parse(react(Json.MAPPER.writeValueAsString(sixtyFour))).emoji()).isEqualTo(sixtyFour);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "42", "true", "[\"x\"]", "{\"e\":1}", "\"\\u0000\"", "\"\\ud83d\\udc4d\\u0000\"",
            "\"\\n\"", "\"\\u007f\"", "\"\\u009b\"", "\"\\ud83d\"", "\"\\udc4d\\ud83d\""})
    void shouldRefuseAnEmojiThatIsNoStringOrHoldsControlCharactersOrHalvesOfASurrogatePair(String emojiJson) {
        CommandRefusedException refused = catchThrowableOfType(CommandRefusedException.class,
                () -> parse(react(emojiJson)));

        assertThat(refused.reason()).isEqualTo(CommandRefusedException.Reason.BAD_COMMAND);
        assertThat(refused.commandId()).isEqualTo("c-1");
        assertThat(refused.getMessage()).contains("\"emoji\"");
    }

    @Test
    void shouldRefuseAnEmojiOfSixtyFiveCodePointsAndAMegabyteOne() {
        for (String emoji : new String[] {"\uD83D\uDC4D".repeat(65), "a".repeat(1 << 20)}) {
            CommandRefusedException refused = catchThrowableOfType(CommandRefusedException.class,
                    () -> parse(react(Json.MAPPER.writeValueAsString(emoji))));

            assertThat(refused.getMessage()).isEqualTo("\"emoji\" must be at most 64 characters");
        }
    }

    @Test
    void shouldRefuseAReactionWithoutMensagemOrEmoji() {
        String noMensagem = "{\"commandId\":\"c-1\",\"command\":\"react\",\"conversaId\":\"" + CONVERSA
                + "\",\"emoji\":\"x\"}";
        String noEmoji = "{\"commandId\":\"c-1\",\"command\":\"react\",\"conversaId\":\"" + CONVERSA
                + "\",\"mensagemId\":\"" + MENSAGEM + "\"}";

        assertThat(catchThrowableOfType(CommandRefusedException.class, () -> parse(noMensagem)).getMessage())
                .isEqualTo("\"mensagemId\" must be a string");
        assertThat(catchThrowableOfType(CommandRefusedException.class, () -> parse(noEmoji)).getMessage())
                .isEqualTo("\"emoji\" must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"mensagemId\":null", ",\"mensagemId\":7", ",\"mensagemId\":\"x\"",
            ",\"mensagemId\":[\"00000000-0000-0000-0000-000000000000\"]"})
    void shouldRefuseADeletionWithoutAMensagemUuid(String mensagem) {
        String json = "{\"commandId\":\"c-2\",\"command\":\"delete\",\"conversaId\":\"" + CONVERSA + "\"" + mensagem
                + "}";

        CommandRefusedException refused = catchThrowableOfType(CommandRefusedException.class, () -> parse(json));

        assertThat(refused.reason()).isEqualTo(CommandRefusedException.Reason.BAD_COMMAND);
        assertThat(refused.getMessage()).contains("\"mensagemId\"");
    }

    @Test
    void shouldReadADeletionWithoutTheFieldsOfOtherTypes() {
        CommandRequest request = parse("{\"commandId\":\"c-3\",\"command\":\"delete\",\"conversaId\":\"" + CONVERSA
                + "\",\"mensagemId\":\"" + MENSAGEM + "\",\"emoji\":\"x\",\"text\":\"y\"}");

        assertThat(request.mensagemId()).isEqualTo(MENSAGEM);
        assertThat(request.emoji()).isNull();
        assertThat(request.text()).isNull();
    }
}
