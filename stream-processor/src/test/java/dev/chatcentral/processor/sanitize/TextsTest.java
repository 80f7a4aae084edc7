package dev.chatcentral.processor.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void shouldReturnCleanTextWithinLimitUnchangedAndSameInstance() {
        String text = "Oi, tudo bem? 😀";

        Texts.Bounded bounded = Texts.bounded(text, 100);

        assertThat(bounded.value()).isSameAs(text);
        assertThat(bounded.changed()).isFalse();
    }

    @Test
    void shouldDropNulAndReplaceUnpairedSurrogates() {
        Texts.Bounded bounded = Texts.bounded("a\u0000b\uD83Dc\uDE00d😀", 100);

        assertThat(bounded.value()).isEqualTo("ab\uFFFDc\uFFFDd😀");
        assertThat(bounded.changed()).isTrue();
    }

    @Test
    void shouldCutAtCodePointLimitWithVisibleMark() {
        Texts.Bounded bounded = Texts.bounded("😀".repeat(10), 5);

        assertThat(bounded.value()).isEqualTo("😀".repeat(4) + Texts.TRUNCATION_MARK);
        assertThat(bounded.value().codePointCount(0, bounded.value().length())).isEqualTo(5);
        assertThat(bounded.changed()).isTrue();
    }

    @Test
    void shouldKeepTextOfExactlyTheLimit() {
        assertThat(Texts.bounded("abcde", 5).value()).isEqualTo("abcde");
    }

    @Test
    void shouldAcceptOnlyShortIdentifiersWithoutControlCharacters() {
        assertThat(Texts.isIdentifier("5511988887777@s.whatsapp.net")).isTrue();
        assertThat(Texts.isIdentifier("3EB0C767D097B7C7C030")).isTrue();
        assertThat(Texts.isIdentifier(null)).isFalse();
        assertThat(Texts.isIdentifier(" ")).isFalse();
        assertThat(Texts.isIdentifier("K\u00001")).isFalse();
        assertThat(Texts.isIdentifier("K\n1")).isFalse();
        assertThat(Texts.isIdentifier("K\uD83D")).isFalse();
        assertThat(Texts.isIdentifier("k".repeat(FieldLimits.IDENTIFIER))).isTrue();
        assertThat(Texts.isIdentifier("k".repeat(FieldLimits.IDENTIFIER + 1))).isFalse();
    }
}
