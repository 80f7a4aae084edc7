package dev.chatcentral.processor.presence;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * State store keys made of ids joined by {@code |}, e.g. {@code empresa|user|session}. Ids may contain {@code |}
 * (a token's {@code sub} like {@code auth0|123}), so {@code %} and {@code |} inside an id are percent-encoded:
 * a prefix then matches exactly the keys of that empresa, or of that user, and no other.
 */
final class PresenceKeys {

    private PresenceKeys() {
    }

    static String of(String... ids) {
        return Arrays.stream(ids).map(PresenceKeys::escape).collect(Collectors.joining("|"));
    }

    /** The prefix of every key that starts with these ids. */
    static String prefix(String... ids) {
        return of(ids) + "|";
    }

    private static String escape(String id) {
        return id.replace("%", "%25").replace("|", "%7C");
    }
}
