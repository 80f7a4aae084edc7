package dev.chatcentral.processor.sanitize;

/**
 * Makes text from outside safe to keep: no NUL (PostgreSQL refuses it in text), no unpaired surrogate (it cannot be
 * encoded as UTF-8, so it would silently become '?' on the way to the database or a browser), and no more than a
 * limit, cut at a code point with a visible mark. Most texts need none of it, so they are scanned once and returned
 * as they are.
 */
public final class Texts {

    /** Ends a text that was cut, so a reader sees that something is missing. */
    public static final String TRUNCATION_MARK = "…";
    private static final char REPLACEMENT = '\uFFFD';

    private Texts() {
    }

    /** A text as kept, and whether keeping it changed it. */
    public record Bounded(String value, boolean changed) {
    }

    /**
     * @param text      null stays null
     * @param maxLength the most code points kept, the mark included
     */
    public static Bounded bounded(String text, int maxLength) {
        if (text == null) {
            return new Bounded(null, false);
        }
        String clean = clean(text);
        if (clean.length() <= maxLength || clean.codePointCount(0, clean.length()) <= maxLength) {
            return new Bounded(clean, clean != text);
        }
        // the mark is one code point
        int end = clean.offsetByCodePoints(0, maxLength - 1);
        return new Bounded(clean.substring(0, end) + TRUNCATION_MARK, true);
    }

    /** The text without NUL characters and with unpaired surrogates replaced by U+FFFD; the same instance if clean. */
    public static String clean(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Whether a value can serve as an identifier (a JID, a message id, a type name): not blank, within
     * {@link FieldLimits#IDENTIFIER}, and without control characters or surrogates, which no WhatsApp id has.
     */
    public static boolean isIdentifier(String value) {
        if (value == null || value.isBlank() || value.length() > FieldLimits.IDENTIFIER) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }
}
