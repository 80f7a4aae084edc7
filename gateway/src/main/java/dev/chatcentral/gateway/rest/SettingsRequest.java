package dev.chatcentral.gateway.rest;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.settings.EmpresaSettings.Assignment;

/**
 * A {@code PUT /api/v1/empresa/settings} body, checked field by field so that each refusal names its reason: the
 * version the change was made to, and the whole new {@code assignment} group.
 */
record SettingsRequest(long version, Assignment assignment) {

    /** A body with every override at its longest id is about 140 KB. */
    static final int MAX_BODY = 256 * 1024;

    private static final Set<String> FIELDS = Set.of("version", "assignment");
    private static final Set<String> ASSIGNMENT_FIELDS =
            Set.of("mode", "defaultCapacity", "capacities", "offlineGraceSeconds");

    static SettingsRequest parse(byte[] body) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badParameter("the body is not valid JSON");
        }
        if (!(json instanceof ObjectNode request)) {
            throw ApiException.badParameter("the body must be a JSON object");
        }
        onlyKnown(request, FIELDS, "the settings");
        JsonNode version = request.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
            throw ApiException.badParameter("\"version\" must be the version of the settings the change was made to"
                    + " (a whole number, 0 or more; GET answers it)");
        }
        if (!(request.get("assignment") instanceof ObjectNode assignment)) {
            throw ApiException.badParameter("\"assignment\" must be an object");
        }
        onlyKnown(assignment, ASSIGNMENT_FIELDS, "\"assignment\"");
        JsonNode mode = assignment.get("mode");
        if (mode == null || !mode.isString() || !Assignment.MODES.contains(mode.asString())) {
            throw ApiException.badParameter("\"assignment.mode\" must be one of " + Assignment.MODES);
        }
        int capacity = integer(assignment, "defaultCapacity", 1, Assignment.MAX_CAPACITY, Assignment.DEFAULT_CAPACITY);
        int grace = integer(assignment, "offlineGraceSeconds", 0, Assignment.MAX_OFFLINE_GRACE_SECONDS,
                Assignment.DEFAULT_OFFLINE_GRACE_SECONDS);
        return new SettingsRequest(version.longValue(),
                new Assignment(mode.asString(), capacity, capacities(assignment.get("capacities")), grace));
    }

    private static void onlyKnown(ObjectNode object, Set<String> known, String what) {
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                throw ApiException.badParameter("unknown field \"" + printable(name) + "\" in " + what + "; it takes "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static int integer(ObjectNode object, String name, int min, int max, int absent) {
        JsonNode value = object.get(name);
        if (value == null) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min
                || value.intValue() > max) {
            throw ApiException.badParameter("\"assignment." + name + "\" must be a whole number from " + min + " to "
                    + max);
        }
        return value.intValue();
    }

    private static Map<String, Integer> capacities(JsonNode capacities) {
        if (capacities == null) {
            return Map.of();
        }
        if (!(capacities instanceof ObjectNode byAtendente)) {
            throw ApiException.badParameter("\"assignment.capacities\" must be an object of userId to capacity");
        }
        if (byAtendente.size() > Assignment.MAX_CAPACITY_OVERRIDES) {
            throw ApiException.badParameter("\"assignment.capacities\" may name at most "
                    + Assignment.MAX_CAPACITY_OVERRIDES + " atendentes, not " + byAtendente.size());
        }
        Map<String, Integer> result = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : byAtendente.properties()) {
            String userId = entry.getKey();
            if (userId.isBlank() || userId.length() > Channel.MAX_ID_LENGTH
                    || userId.chars().anyMatch(Character::isISOControl)) {
                throw ApiException.badParameter("\"assignment.capacities\" names a userId that is blank, longer than "
                        + Channel.MAX_ID_LENGTH + " characters or holds control characters");
            }
            JsonNode value = entry.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0
                    || value.intValue() > Assignment.MAX_CAPACITY) {
                throw ApiException.badParameter("the capacity of \"" + userId + "\" must be a whole number from 0 to "
                        + Assignment.MAX_CAPACITY);
            }
            result.put(userId, value.intValue());
        }
        return result;
    }

    /** A client's field name, fit for an error message: bounded, control characters replaced. */
    private static String printable(String text) {
        String bounded = text.length() <= 64 ? text : text.substring(0, 64) + "...";
        return bounded.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
