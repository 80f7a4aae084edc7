package dev.chatcentral.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.outbound.OutboundMessage;
import dev.chatcentral.schemas.outbound.OutboundMessage.TargetKey;

/** What each kind of send needs before Evolution is called. */
class OutboundValidationTest {

    private static final TargetKey TARGET = new TargetKey("5511988887777@s.whatsapp.net", false,
            "3A5F0B6C1D2E3F405162", null);

    @Test
    void shouldAcceptAReplyOfARecordWrittenBeforeKindsExistedAReactionItsRemovalAndADeletion() {
        assertThat(OutboundValidation.problem(send(null, "5511988887777", "Oi", null))).isNull();
        assertThat(OutboundValidation.problem(send("reply", "5511988887777", "Oi", null))).isNull();
        assertThat(OutboundValidation.problem(send("reaction", null, "👍", TARGET))).isNull();
        assertThat(OutboundValidation.problem(send("reaction", null, "", TARGET))).isNull();
        assertThat(OutboundValidation.problem(send("reaction", null, "👨‍👩‍👧‍👦", TARGET))).isNull();
        assertThat(OutboundValidation.problem(send("delete", null, null, TARGET))).isNull();
    }

    @Test
    void shouldRefuseAReplyWithoutNumberOrText() {
        assertThat(OutboundValidation.problem(send("reply", " ", null, TARGET)))
                .isEqualTo("invalid reply: missing number, missing text");
    }

    @Test
    void shouldRefuseAReactionWithoutTargetOrTextOrWithAHugeEmoji() {
        assertThat(OutboundValidation.problem(send("reaction", null, "👍", null)))
                .isEqualTo("invalid reaction: missing target");
        assertThat(OutboundValidation.problem(send("reaction", null, null, TARGET)))
                .startsWith("invalid reaction: missing text");
        assertThat(OutboundValidation.problem(send("reaction", null, "👍".repeat(65), TARGET)))
                .isEqualTo("invalid reaction: text longer than 64 characters");
        assertThat(OutboundValidation.problem(send("reaction", null, "👍".repeat(64), TARGET))).isNull();
        assertThat(OutboundValidation.problem(send("reaction", null, "👍",
                new TargetKey(" ", false, null, null))))
                .isEqualTo("invalid reaction: missing target.remoteJid, missing target.id");
    }

    @Test
    void shouldRefuseADeletionWithoutTargetOrWithAHugeKey() {
        assertThat(OutboundValidation.problem(send("delete", null, null, null)))
                .isEqualTo("invalid deletion: missing target");
        assertThat(OutboundValidation.problem(send("delete", null, null,
                new TargetKey("5511988887777@s.whatsapp.net", true, "A".repeat(100_000), null))))
                .isEqualTo("invalid deletion: target key part longer than 256 characters");
    }

    @Test
    void shouldRefuseAnUnknownKindShowingOnlyItsBeginning() {
        assertThat(OutboundValidation.problem(send("edit", "5511988887777", "Oi", null)))
                .isEqualTo("invalid outbound message: unknown kind \"edit\"");
        assertThat(OutboundValidation.problem(send("x".repeat(10_000) + "\0", null, null, null)))
                .hasSizeLessThan(100).endsWith("...\"");
        assertThat(OutboundValidation.problem(send("", "5511988887777", "Oi", null)))
                .isEqualTo("invalid outbound message: unknown kind \"\"");
    }

    @Test
    void shouldRefuseANulInAnyField() {
        assertThat(OutboundValidation.problem(send("reply", "5511988887777", "Oi\0", null)))
                .isEqualTo("invalid reply: a field holds a NUL character");
        assertThat(OutboundValidation.problem(send("delete", null, null,
                new TargetKey("5511988887777@s.whatsapp.net", true, "ID\0", null))))
                .isEqualTo("invalid deletion: a field holds a NUL character");
        assertThat(OutboundValidation.problem(new OutboundMessage("c\0", "u", "m", "v", "emp-1", "loja-01",
                "5511988887777", "Oi", null, null))).isEqualTo("invalid reply: a field holds a NUL character");
    }

    @Test
    void shouldAnswerOnlyWhatNamesItsCommandAndEmpresa() {
        assertThat(OutboundValidation.answerable(null)).isFalse();
        assertThat(OutboundValidation.answerable(new OutboundMessage(" ", "u", "m", "v", "emp-1", "loja-01", "5511",
                "Oi", null, null))).isFalse();
        assertThat(OutboundValidation.answerable(send("nonsense", null, null, null))).isTrue();
    }

    private static OutboundMessage send(String kind, String number, String text, TargetKey target) {
        return new OutboundMessage("c", "u", "m", "v", "emp-1", "loja-01", number, text, null, null, kind, target);
    }
}
