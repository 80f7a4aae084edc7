package dev.chatcentral.processor.webhook;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.processor.sanitize.FieldLimits;
import dev.chatcentral.processor.sanitize.Texts;

/** Tolerant reads of webhook JSON: Evolution's versions disagree on types and on which fields are present. */
final class JsonFields {

    private JsonFields() {
    }

    /** The field's text, or null when it is absent, not a string, or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.stringValue().isBlank() ? value.stringValue() : null;
    }

    /**
     * An id taken from the webhook: null when absent or blank; refused when it is no well-formed id (see
     * {@link Texts#isIdentifier}), since cutting or cleaning an id would make it name something else.
     */
    static String identifier(String value, String path) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!Texts.isIdentifier(value)) {
            throw new InvalidWebhookException(path + " is not an id: longer than " + FieldLimits.IDENTIFIER
                    + " characters, or with control characters");
        }
        return value;
    }

    static String firstText(String first, String second) {
        return first != null ? first : second;
    }

    /** A boolean given as JSON boolean or as "true"/"false"; null when absent. */
    static Boolean bool(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString() && ("true".equals(value.stringValue()) || "false".equals(value.stringValue()))) {
            return Boolean.parseBoolean(value.stringValue());
        }
        throw new InvalidWebhookException(path + " is not a boolean: " + value);
    }

    /** An integer given as number or numeric string; null when absent or not a number. */
    static Integer integer(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isString()) {
            try {
                return Integer.valueOf(value.stringValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
