package dev.chatcentral.processor.topology;

import static dev.chatcentral.processor.topology.Webhooks.CUSTOMER_JID;
import static dev.chatcentral.processor.topology.Webhooks.INSTANCE;
import static dev.chatcentral.processor.topology.Webhooks.OWN_JID;
import static dev.chatcentral.processor.topology.Webhooks.SENT_AT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.schemas.evolution.EvolutionEvent;
import dev.chatcentral.schemas.topic.Topics;

/**
 * Evolution API webhooks made hostile, as raw bytes: every event type the processor reads, and unknown ones, in the
 * shapes of reference/evolution-api.md, where any field may instead hold a huge, empty, NUL, control or
 * lone-surrogate string, an extreme number, a number in a string, a float, or the wrong JSON type, and may be
 * missing or given twice; and bodies that are truncated, nested around Jackson's limit, not JSON, not an object, or
 * keyed by no empresa. The JSON is written by hand so that escapes and duplicated keys are exactly as generated. The
 * fields that decide whether a webhook is read at all are mostly realistic, so that most webhooks get past them and
 * reach the code that cuts, cleans and publishes; the texts it keeps are hostile half of the time. Use:
 * {@code @ForAll(supplier = HostileWebhooks.class) HostileWebhook webhook}.
 */
public final class HostileWebhooks implements ArbitrarySupplier<HostileWebhook> {

    /** The WhatsApp id of the message that opens each try's conversa: receipts naming it find a mensagem. */
    public static final String OPENING_KEY_ID = "3A5F0B6C1D2E3F405162";

    /** Repetitions of a huge string: across the name, caption and text limits, up to some 420 KB of JSON. */
    private static final int HUGE_REPEAT = 70_000;
    private static final String[] TEXTS = {"Oi, vocês entregam hoje?", "Sim! Entregamos até 18h.", "Bom dia 😀"};

    private record Body(String kind, byte[] bytes) {
    }

    @Override
    public Arbitrary<HostileWebhook> get() {
        return Combinators.combine(bodies(), keys())
                .as((body, key) -> new HostileWebhook(body.kind(), key, body.bytes()))
                // the ingest refuses with 413 what cannot fit chat.webhooks: nothing larger reaches the topology
                .filter(webhook -> Topics.WEBHOOKS.fits(webhook.body().length));
    }

    private static Arbitrary<HostileWebhook.Key> keys() {
        return Arbitraries.frequency(Tuple.of(57, HostileWebhook.Key.EMPRESA), Tuple.of(1, HostileWebhook.Key.NULL),
                Tuple.of(1, HostileWebhook.Key.EMPTY), Tuple.of(1, HostileWebhook.Key.BLANK));
    }

    private static Arbitrary<Body> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, envelopes()),
                Tuple.of(2, envelopes().flatMap(HostileWebhooks::truncated)),
                Tuple.of(1, deep().map(json -> body("deep nesting", json))),
                Tuple.of(1, deepMessage()),
                Tuple.of(1, Arbitraries.of("", " ", "null", "[]", "{}", "\"messages.upsert\"", "42", "true",
                        "{\"event\":null}", "{\"event\":\"messages.upsert\"}", "\uFEFF{}", "{\"event\":\"\\u0000\"}")
                        .map(json -> body("not an envelope", json))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                        .map(bytes -> new Body("random bytes", bytes))));
    }

    /** Cut anywhere, in the middle of a UTF-8 sequence too. */
    private static Arbitrary<Body> truncated(Body body) {
        return Arbitraries.integers().between(0, Math.max(0, body.bytes().length - 1))
                .map(length -> new Body("truncated " + body.kind(), Arrays.copyOf(body.bytes(), length)));
    }

    private static Body body(String kind, String json) {
        return new Body(kind, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<Body> envelopes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, envelope(EvolutionEvent.MESSAGES_UPSERT, upsert(false))),
                Tuple.of(3, envelope(EvolutionEvent.SEND_MESSAGE, upsert(true))),
                Tuple.of(4, envelope(EvolutionEvent.MESSAGES_UPDATE, receipt())),
                Tuple.of(2, envelope(EvolutionEvent.PRESENCE_UPDATE, presence())),
                Tuple.of(2, envelope(EvolutionEvent.CONNECTION_UPDATE, connection())),
                Tuple.of(1, envelope(EvolutionEvent.CONTACTS_UPSERT, contacts())),
                Tuple.of(1, envelope(EvolutionEvent.CONTACTS_UPDATE, contacts())),
                Tuple.of(1, envelope(EvolutionEvent.MESSAGES_SET, history())),
                Tuple.of(1, envelope(EvolutionEvent.MESSAGING_HISTORY_SET, history())),
                Tuple.of(2, envelope(EvolutionEvent.MESSAGES_EDITED, protocol())),
                Tuple.of(1, envelope(EvolutionEvent.MESSAGES_DELETE, Arbitraries.oneOf(key(false),
                        object(field("key", key(true)), field("status", ids("DELETED")), junk())))),
                Tuple.of(2, envelope(unknownEvents(), Arbitraries.oneOf(values(), upsert(false)))
                        .map(json -> body("unknown event", json))));
    }

    private static Arbitrary<Body> envelope(String event, Arbitrary<String> data) {
        Arbitrary<String> eventValue = Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just(quote(event))),
                Tuple.of(1, strings()), Tuple.of(1, values()));
        return envelope(eventValue, data).map(json -> body(event, json));
    }

    private static Arbitrary<String> envelope(Arbitrary<String> event, Arbitrary<String> data) {
        return object(
                field("event", event),
                field("instance", ids(INSTANCE, INSTANCE, "loja-02")),
                field("data", data),
                field("destination", ids("https://ingest.example.com/webhooks/evolution/emp-1")),
                field("date_time", ids("2025-10-21T14:40:39.512Z")),
                field("sender", ids(OWN_JID)),
                field("server_url", ids("https://evo.example.com")),
                optional("apikey", ids("B6D711FCDE4D4FD5936544120E713976")),
                junk());
    }

    private static Arbitrary<String> unknownEvents() {
        return Arbitraries.oneOf(
                Arbitraries.of("qrcode.updated", "call", "chats.upsert", "groups.upsert", "logout.instance",
                        "send.message.update", "MESSAGES_UPSERT", "")
                        .map(HostileWebhooks::quote),
                strings());
    }

    /** A {@code messages.upsert} or {@code send.message} data object. */
    private static Arbitrary<String> upsert(boolean fromMe) {
        return object(
                field("key", Arbitraries.frequencyOf(Tuple.of(20, key(fromMe)), Tuple.of(1, values()))),
                field("pushName", texts("Maria Silva", "Você", "João 👍🏽")),
                field("status", ids(fromMe ? "PENDING" : "DELIVERY_ACK", "SERVER_ACK", "READ", "ERROR",
                        "delivery_ack")),
                field("message", Arbitraries.frequencyOf(Tuple.of(20, message()), Tuple.of(1, values()))),
                field("messageType", ids("conversation", "extendedTextMessage", "imageMessage",
                        "reactionMessage", "audioMessage")),
                field("messageTimestamp", timestamps()),
                field("instanceId", ids("0b6e7c2a-1f4d-4a8e-9c3b-5d2f7e8a9b10")),
                field("source", ids("android", "web", "ios")),
                optional("contextInfo", object(field("stanzaId", keyIds(OPENING_KEY_ID)),
                        field("participant", jids()), field("quotedMessage", message()))),
                junk());
    }

    private static Arbitrary<String> key(boolean fromMe) {
        return object(
                field("remoteJid", jids()),
                field("fromMe", booleans(fromMe)),
                field("id", keyIds(fromMe ? "3EB0C767D097B7C7C030" : "3A5F0B6C1D2E3F405163")),
                optional("participant", jids()),
                optional("participantAlt", jids()),
                optional("remoteJidAlt", jids()),
                optional("addressingMode", ids("lid", "pn")));
    }

    private static Arbitrary<String> message() {
        return Arbitraries.lazyOf(
                () -> object(field("conversation", texts(TEXTS))),
                () -> object(field("extendedTextMessage", object(field("text", texts(TEXTS)),
                        optional("contextInfo", values())))),
                () -> Combinators.combine(Arbitraries.of("imageMessage", "videoMessage", "documentMessage",
                                "audioMessage", "stickerMessage"),
                        object(field("caption", texts(TEXTS)), field("mimetype", ids("image/jpeg")),
                                field("url", ids("https://mmg.whatsapp.net/v/t62.7118-24/1.enc"))))
                        .as((type, media) -> "{" + quote(type) + ":" + media + "}"),
                () -> object(field("reactionMessage", object(field("text", texts("👍", "❤️", "")),
                        field("key", key(false)), optional("senderTimestampMs", timestamps())))),
                () -> object(field("protocolMessage", protocol())),
                // WhatsApp's containers, nested as deep as they come
                () -> Combinators.combine(Arbitraries.of("ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2",
                                "documentWithCaptionMessage", "editedMessage"), message())
                        .as((wrapper, inner) -> "{" + quote(wrapper) + ":{\"message\":" + inner + "}}"),
                () -> Arbitraries.just("{}"));
    }

    /** WhatsApp's protocolMessage: an edit or a revoke of the opening mensagem, or another type. */
    private static Arbitrary<String> protocol() {
        return object(
                field("key", Arbitraries.frequencyOf(Tuple.of(20, key(false)), Tuple.of(1, values()))),
                field("type", Arbitraries.oneOf(ids("MESSAGE_EDIT", "REVOKE", "EPHEMERAL_SETTING"),
                        Arbitraries.of("0", "14", "3", "-1", "99999999999"))),
                optional("editedMessage", Arbitraries.frequencyOf(Tuple.of(20, message()), Tuple.of(1, values()))),
                optional("timestampMs", timestamps()),
                junk());
    }

    /** A {@code messages.update} data: Evolution 2.x's flat receipt, an older nested one, or a batch of them. */
    private static Arbitrary<String> receipt() {
        Arbitrary<String> flat = object(
                field("keyId", keyIds(OPENING_KEY_ID)),
                field("remoteJid", jids()),
                field("fromMe", booleans(false)),
                field("participant", jids()),
                field("status", receiptStatuses()),
                field("instanceId", ids("abb8e7b9-7586-6462-95c4")),
                field("messageId", ids("cmfyoow42000hov4xwkdug3lv")),
                junk());
        Arbitrary<String> nested = object(field("key", key(false)),
                field("update", object(field("status", receiptStatuses()))), junk());
        return Arbitraries.frequencyOf(
                Tuple.of(8, flat),
                Tuple.of(2, nested),
                Tuple.of(1, array(flat, 0, 3)));
    }

    private static Arbitrary<String> receiptStatuses() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, ids("READ", "DELIVERY_ACK", "SERVER_ACK", "PLAYED", "ERROR", "PENDING", "read",
                        " READ ", "DELETED")),
                // Baileys' numeric statuses, and numbers no status is
                Tuple.of(2, Arbitraries.integers().between(-1, 7).map(String::valueOf)),
                Tuple.of(2, numbers()));
    }

    private static Arbitrary<String> presence() {
        Arbitrary<String> who = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of(CUSTOMER_JID, "123456789012345@lid").map(HostileWebhooks::quote)),
                Tuple.of(1, strings()));
        Arbitrary<String> entry = Combinators.combine(who, object(field("lastKnownPresence",
                        ids("composing", "available", "unavailable", "recording", "paused", "COMPOSING"))))
                .as((jid, state) -> jid + ":" + state);
        Arbitrary<String> presences = Arbitraries.frequencyOf(
                Tuple.of(12, entry.list().ofMaxSize(3).map(entries -> String.join(",", entries))
                        .map(entries -> "{" + entries + "}")),
                Tuple.of(1, values()));
        return object(field("id", jids()), field("presences", presences), junk());
    }

    private static Arbitrary<String> connection() {
        return object(
                field("instance", ids(INSTANCE)),
                field("wuid", jids()),
                field("profileName", texts("Loja 01")),
                field("state", ids("open", "connecting", "close", "refused")),
                field("statusReason", Arbitraries.frequencyOf(
                        Tuple.of(12, Arbitraries.of("200", "401", "428", "515")), Tuple.of(1, numbers()),
                        Tuple.of(1, values()))),
                junk());
    }

    /** An array of contacts, one contact, or anything. */
    private static Arbitrary<String> contacts() {
        Arbitrary<String> contact = object(
                field("remoteJid", jids()),
                optional("id", jids()),
                field("pushName", texts("Maria Silva", "Maria")),
                optional("name", texts("Maria da Silva")),
                optional("notify", texts("Maria")),
                optional("verifiedName", texts("Loja da Maria")),
                optional("profilePicUrl", ids("https://pps.whatsapp.net/v/t61.24694-24/1.jpg")),
                junk());
        return Arbitraries.frequencyOf(Tuple.of(12, array(contact, 0, 4)), Tuple.of(4, contact),
                Tuple.of(1, values()));
    }

    /** A history sync: old messages and chats, or anything; the processor reads none of it. */
    private static Arbitrary<String> history() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, object(field("messages", array(upsert(false), 0, 2)), field("chats", values()),
                        field("isLatest", booleans(true)))),
                Tuple.of(1, values()));
    }

    /** Epoch seconds as Evolution sends them, and everything a timestamp must not be. */
    private static Arbitrary<String> timestamps() {
        Arbitrary<String> protobufLong = Combinators.combine(numbers(), numbers(), booleans(false))
                .as((low, high, unsigned) -> "{\"low\":" + low + ",\"high\":" + high + ",\"unsigned\":" + unsigned
                        + "}");
        return Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.of(SENT_AT, SENT_AT + 60).map(String::valueOf)),
                Tuple.of(2, numbers()),
                Tuple.of(2, numbers().map(HostileWebhooks::quote)),
                Tuple.of(1, protobufLong),
                Tuple.of(1, values()));
    }

    /** Numbers at every edge: of an int, of a long, of an Instant, of Jackson's 1,000 digits; floats; negatives. */
    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "-1", "1", "2", "200", "1761057639", "-1761057639", "1761057639.0",
                        "1761057639.5", "1.5", "1e3", "1E10", "1e400", "-1e400", "1e-400", "0.0", "2147483647",
                        "2147483648", "-2147483649", "4294967296", "5000000000", "9223372036854775807",
                        "9223372036854775808", "-9223372036854775809", "1761057639000", "31556889864403199",
                        "31556889864403200", "-31557014167219201"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.integers().between(19, 1_100).map("9"::repeat));
    }

    private static Arbitrary<String> booleans(boolean usual) {
        return Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.just(String.valueOf(usual))),
                Tuple.of(3, Arbitraries.just(String.valueOf(!usual))),
                Tuple.of(1, Arbitraries.of("\"true\"", "\"false\"", "\"TRUE\"", "\"yes\"", "1", "0", "null", "[]")));
    }

    private static Arbitrary<String> jids() {
        return ids(CUSTOMER_JID, CUSTOMER_JID, "5511977776666@s.whatsapp.net", "123456789012345@lid",
                "120363025841234567@g.us", "status@broadcast", OWN_JID,
                // one character over the limit of an id
                "5".repeat(FieldLimits.IDENTIFIER - 14) + "@s.whatsapp.net");
    }

    /** WhatsApp message ids: mostly {@code usual}, at times another message's, a reply's, or one too long. */
    private static Arbitrary<String> keyIds(String usual) {
        return ids(usual, usual, usual, OPENING_KEY_ID, "3EB0C767D097B7C7C030", "A5561E44C2A63682E4295B52F484C14E",
                "K".repeat(FieldLimits.IDENTIFIER + 1));
    }

    /**
     * A JSON string for a field whose value decides whether and where a webhook goes (ids, states, the event):
     * mostly one of the realistic values, so that most webhooks get past them, else hostile or another JSON type.
     */
    private static Arbitrary<String> ids(String... realistic) {
        return Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.of(realistic).map(HostileWebhooks::quote)),
                Tuple.of(2, strings()),
                Tuple.of(1, values()));
    }

    /** A JSON string for a text the processor keeps (message, caption, names): hostile half of the time. */
    private static Arbitrary<String> texts(String... realistic) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(realistic).map(HostileWebhooks::quote)),
                Tuple.of(3, strings()),
                Tuple.of(1, values()));
    }

    /** A hostile JSON string: text, controls, NUL, surrogates and emoji in pieces, or a huge run of one. */
    private static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                        Tuple.of(8, pieces().list().ofMaxSize(8).map(pieces -> String.join("", pieces))),
                        Tuple.of(1, huge()))
                .map(content -> "\"" + content + "\"");
    }

    /** Pieces of string content, each already written as JSON. */
    private static Arbitrary<String> pieces() {
        return Arbitraries.oneOf(
                Arbitraries.of("Oi", "Maria Silva", "vocês", "ção", "😀", "👍🏽", "🇧🇷", " ", "\\n", "\\t", "\\\"",
                        "\\\\", "\\/", CUSTOMER_JID),
                // NUL and the other C0 controls, as escapes, and DEL
                Arbitraries.integers().between(0, 0x1f).map(c -> String.format("\\u%04x", c)),
                Arbitraries.of("\\u007f", "\\u0085", "\\u2028", "\\uFEFF", "\\uFFFF"),
                // surrogates alone, reversed, and paired
                Arbitraries.of("\\uD83D", "\\uDE00", "\\uDE00\\uD83D", "\\uD83D\\uDE00", "\\uDBFF", "\\uDC00"),
                Arbitraries.strings().all().ofMaxLength(16).map(HostileWebhooks::escape));
    }

    private static Arbitrary<String> huge() {
        Arbitrary<Integer> repeat = Arbitraries.oneOf(
                Arbitraries.of(FieldLimits.NAME, FieldLimits.NAME + 1, FieldLimits.CAPTION + 1, FieldLimits.TEXT,
                        FieldLimits.TEXT + 1),
                Arbitraries.integers().between(1, HUGE_REPEAT));
        return Combinators.combine(Arbitraries.of("a", "ç", "😀", "\\u0001", "\\u0000", "\\uD83D", "a\\u0000"), repeat)
                .as(String::repeat);
    }

    /** Any JSON value: where a string belongs, the wrong type. */
    private static Arbitrary<String> values() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.of("null", "true", "false", "[]", "{}", "\"\""),
                HostileWebhooks::numbers,
                HostileWebhooks::strings,
                () -> array(values(), 0, 3),
                () -> Combinators.combine(names(), values()).as((name, value) -> "{" + name + ":" + value + "}"));
    }

    /**
     * A customer's message whose {@code message} is nested as deep as can be: the envelope, data and message
     * objects are three levels of Jackson's 500.
     */
    private static Arbitrary<Body> deepMessage() {
        return Arbitraries.oneOf(deep(), deep(Arbitraries.integers().between(490, 510)))
                .map(message -> body("deep messages.upsert", "{\"event\":\"messages.upsert\",\"instance\":\""
                        + INSTANCE + "\",\"data\":{\"key\":{\"remoteJid\":\"" + CUSTOMER_JID
                        + "\",\"fromMe\":false,\"id\":\"3A5F0B6C1D2E3F405163\"},\"message\":" + message + "}}"));
    }

    /** Arrays or objects nested below, at and beyond Jackson's limit of 500 levels. */
    private static Arbitrary<String> deep() {
        return deep(Arbitraries.oneOf(Arbitraries.of(499, 500, 501, 2_000),
                Arbitraries.integers().between(1, 3_000)));
    }

    private static Arbitrary<String> deep(Arbitrary<Integer> depth) {
        return Combinators.combine(depth, Arbitraries.of(true, false)).as((levels, arrays) -> arrays
                ? "[".repeat(levels) + "]".repeat(levels)
                : "{\"a\":".repeat(levels) + "1" + "}".repeat(levels));
    }

    /** {@code "name":value}; or nothing, a missing field; or the name twice with two values, a duplicated key. */
    private static Arbitrary<String> field(String name, Arbitrary<String> value) {
        String prefix = quote(name) + ":";
        return Arbitraries.frequencyOf(
                Tuple.of(40, value.map(v -> prefix + v)),
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, Combinators.combine(value, value).as((first, second) -> prefix + first + "," + prefix
                        + second)));
    }

    /** A field most webhooks do not carry. */
    private static Arbitrary<String> optional(String name, Arbitrary<String> value) {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, field(name, value)));
    }

    /** Now and then a field nobody expects. */
    private static Arbitrary<String> junk() {
        return Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just("")),
                Tuple.of(1, Combinators.combine(names(), values()).as((name, value) -> name + ":" + value)));
    }

    /** A field name: mostly plain, at times hostile (a lone surrogate there makes Jackson refuse the document). */
    private static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("extra", "key", "", "message").map(HostileWebhooks::quote)),
                Tuple.of(1, strings()));
    }

    @SafeVarargs
    private static Arbitrary<String> object(Arbitrary<String>... fields) {
        return Combinators.combine(List.of(fields)).as(parts -> parts.stream().filter(part -> !part.isEmpty())
                .collect(Collectors.joining(",", "{", "}")));
    }

    private static Arbitrary<String> array(Arbitrary<String> element, int min, int max) {
        return element.list().ofMinSize(min).ofMaxSize(max).map(elements -> "[" + String.join(",", elements) + "]");
    }

    private static String quote(String plain) {
        return "\"" + escape(plain) + "\"";
    }

    /** JSON string content: quotes, backslashes, controls and every surrogate as escapes, the rest as it is. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
