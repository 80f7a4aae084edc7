package dev.chatcentral.simulator.request;

import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.simulator.webhook.EvolutionPayloads;

/**
 * Reads fields of a JSON body strictly: a missing, mistyped, oversized or NUL-holding value is an
 * {@link InvalidRequest}.
 */
public final class Fields {

    /** WhatsApp's own limit on a text. */
    public static final int MAX_TEXT = 65_536;
    /** The longest emoji sequences (families with skin tones) take about 35 UTF-16 units. */
    public static final int MAX_EMOJI = 64;

    private static final Pattern PHONE = Pattern.compile("[0-9]{8,15}");
    private static final Pattern JID = Pattern.compile("[0-9A-Za-z._:-]{1,64}@(s\\.whatsapp\\.net|lid|g\\.us)");
    private static final Pattern KEY_ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");

    private Fields() {
    }

    /** The body itself, which must be a JSON object. */
    public static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequest("body must be a JSON object");
        }
        return body;
    }

    /** A required string of {@code min} to {@code max} characters without NUL. */
    public static String text(JsonNode body, String field, int min, int max) {
        String value = optionalText(body, field, max);
        if (value == null || value.length() < min) {
            throw new InvalidRequest(field + " is required: a string of " + min + " to " + max + " characters");
        }
        return value;
    }

    /** An optional string of at most {@code max} characters without NUL; null when absent. */
    public static String optionalText(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidRequest(field + " must be a string");
        }
        String text = value.asString();
        if (text.length() > max) {
            throw new InvalidRequest(field + " must be at most " + max + " characters");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidRequest(field + " must not contain NUL characters");
        }
        return text;
    }

    /** A WhatsApp message id ({@code key.id}): 1 to 128 letters, digits, '_' or '-'. */
    public static String keyId(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString() || !KEY_ID.matcher(value.asString()).matches()) {
            throw new InvalidRequest(field + " is required: a message id of 1 to 128 letters, digits, '_' or '-'");
        }
        return value.asString();
    }

    /** A boolean, or {@code otherwise} when absent. */
    public static boolean bool(JsonNode body, String field, boolean otherwise) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequest(field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A required boolean. */
    public static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isBoolean()) {
            throw new InvalidRequest(field + " is required: true or false");
        }
        return value.booleanValue();
    }

    /** A whole number from {@code min} to {@code max}, or {@code otherwise} when absent. */
    public static int number(JsonNode body, String field, int otherwise, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || value.longValue() < min || value.longValue() > max) {
            throw new InvalidRequest(field + " must be a whole number from " + min + " to " + max);
        }
        return value.intValue();
    }

    /** A WhatsApp JID ({@code ...@s.whatsapp.net}, {@code @lid}, {@code @g.us}) in {@code field}. */
    public static String jid(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString() || !JID.matcher(value.asString()).matches()) {
            throw new InvalidRequest(field + " is required: a WhatsApp JID such as 5511988887777@s.whatsapp.net");
        }
        return value.asString();
    }

    /** The customer's JID, given as {@code phone} (digits) or as a personal {@code remoteJid}. */
    public static String customerJid(JsonNode body) {
        JsonNode phone = body.get("phone");
        if (phone != null && !phone.isNull()) {
            if (!phone.isString() || !PHONE.matcher(phone.asString()).matches()) {
                throw new InvalidRequest("phone must be 8 to 15 digits");
            }
            return EvolutionPayloads.jid(phone.asString());
        }
        if (body.get("remoteJid") == null) {
            throw new InvalidRequest("phone (8 to 15 digits) or remoteJid is required");
        }
        String remoteJid = jid(body, "remoteJid");
        if (remoteJid.endsWith("@g.us")) {
            throw new InvalidRequest("remoteJid must be a person's JID, not a group's");
        }
        return remoteJid;
    }
}
