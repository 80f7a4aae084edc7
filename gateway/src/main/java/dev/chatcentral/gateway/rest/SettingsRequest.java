package dev.chatcentral.gateway.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.chatcentral.schemas.event.Channel;
import dev.chatcentral.schemas.serde.Json;
import dev.chatcentral.schemas.settings.EmpresaSettings.Assignment;
import dev.chatcentral.schemas.settings.EmpresaSettings.Calendar;
import dev.chatcentral.schemas.settings.EmpresaSettings.Interval;
import dev.chatcentral.schemas.settings.EmpresaSettings.Sla;

/**
 * A {@code PUT /api/v1/empresa/settings} body, checked field by field so that each refusal names its reason: the
 * version the change was made to, the whole new {@code assignment} group, and the optional {@code sla} targets
 * (absent: off) and business-hours {@code calendar} (absent or null: around the clock).
 */
record SettingsRequest(long version, Assignment assignment, Sla sla, Calendar calendar) {

    /** A body with every override at its longest id is about 140 KB. */
    static final int MAX_BODY = 256 * 1024;

    private static final Set<String> FIELDS = Set.of("version", "assignment", "sla", "calendar");
    private static final Set<String> ASSIGNMENT_FIELDS =
            Set.of("mode", "defaultCapacity", "capacities", "offlineGraceSeconds");
    private static final Set<String> SLA_FIELDS =
            Set.of("firstResponseSeconds", "nextResponseSeconds", "warningBeforeSeconds");
    private static final Set<String> CALENDAR_FIELDS = Set.of("timeZone", "weeklyHours", "holidays");
    private static final Set<String> INTERVAL_FIELDS = Set.of("start", "end");

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
        int capacity = integer(assignment, "assignment", "defaultCapacity", 1, Assignment.MAX_CAPACITY,
                Assignment.DEFAULT_CAPACITY);
        int grace = integer(assignment, "assignment", "offlineGraceSeconds", 0, Assignment.MAX_OFFLINE_GRACE_SECONDS,
                Assignment.DEFAULT_OFFLINE_GRACE_SECONDS);
        return new SettingsRequest(version.longValue(),
                new Assignment(mode.asString(), capacity, capacities(assignment.get("capacities")), grace),
                sla(request.get("sla")), calendar(request.get("calendar")));
    }

    private static Sla sla(JsonNode sla) {
        if (sla == null || sla.isNull()) {
            return Sla.OFF;
        }
        if (!(sla instanceof ObjectNode targets)) {
            throw ApiException.badParameter("\"sla\" must be an object");
        }
        onlyKnown(targets, SLA_FIELDS, "\"sla\"");
        Sla checked = new Sla(
                integer(targets, "sla", "firstResponseSeconds", 0, Sla.MAX_TARGET_SECONDS, 0),
                integer(targets, "sla", "nextResponseSeconds", 0, Sla.MAX_TARGET_SECONDS, 0),
                integer(targets, "sla", "warningBeforeSeconds", 0, Sla.MAX_TARGET_SECONDS, 0));
        String problem = checked.problem();
        if (problem != null) {
            throw ApiException.badParameter(problem);
        }
        return checked;
    }

    private static Calendar calendar(JsonNode calendar) {
        if (calendar == null || calendar.isNull()) {
            return null;
        }
        if (!(calendar instanceof ObjectNode hours)) {
            throw ApiException.badParameter("\"calendar\" must be an object, or null for around the clock");
        }
        onlyKnown(hours, CALENDAR_FIELDS, "\"calendar\"");
        JsonNode zone = hours.get("timeZone");
        if (zone == null || !zone.isString()) {
            throw ApiException.badParameter("\"calendar.timeZone\" must be an IANA time zone id such as "
                    + "America/Sao_Paulo");
        }
        if (!(hours.get("weeklyHours") instanceof ObjectNode weekly)) {
            throw ApiException.badParameter("\"calendar.weeklyHours\" must be an object of day of the week to a "
                    + "list of {start, end}");
        }
        onlyKnown(weekly, Set.copyOf(Calendar.DAYS), "\"calendar.weeklyHours\"");
        Map<String, List<Interval>> byDay = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> day : weekly.properties()) {
            if (!(day.getValue() instanceof ArrayNode intervals)) {
                throw ApiException.badParameter("\"calendar.weeklyHours." + day.getKey() + "\" must be a list of "
                        + "{start, end}");
            }
            if (intervals.size() > Calendar.MAX_INTERVALS_PER_DAY) {
                throw ApiException.badParameter("\"calendar.weeklyHours." + day.getKey() + "\" may hold at most "
                        + Calendar.MAX_INTERVALS_PER_DAY + " intervals, not " + intervals.size());
            }
            List<Interval> parsed = new ArrayList<>(intervals.size());
            for (JsonNode interval : intervals) {
                parsed.add(interval(day.getKey(), interval));
            }
            byDay.put(day.getKey(), parsed);
        }
        Calendar checked = new Calendar(zone.asString(), byDay, holidays(hours.get("holidays")));
        String problem = checked.problem();
        if (problem != null) {
            throw ApiException.badParameter(problem);
        }
        return checked;
    }

    private static Interval interval(String day, JsonNode interval) {
        if (!(interval instanceof ObjectNode times)) {
            throw ApiException.badParameter("\"calendar.weeklyHours." + day + "\" must be a list of {start, end}");
        }
        onlyKnown(times, INTERVAL_FIELDS, "an interval of \"calendar.weeklyHours." + day + "\"");
        JsonNode start = times.get("start");
        JsonNode end = times.get("end");
        if (start == null || !start.isString() || end == null || !end.isString()) {
            throw ApiException.badParameter("an interval of \"calendar.weeklyHours." + day + "\" needs a start and an "
                    + "end such as \"09:00\" and \"18:00\"");
        }
        return new Interval(start.asString(), end.asString());
    }

    private static List<String> holidays(JsonNode holidays) {
        if (holidays == null || holidays.isNull()) {
            return List.of();
        }
        if (!(holidays instanceof ArrayNode dates)) {
            throw ApiException.badParameter("\"calendar.holidays\" must be a list of dates such as \"2026-12-25\"");
        }
        if (dates.size() > Calendar.MAX_HOLIDAYS) {
            throw ApiException.badParameter("\"calendar.holidays\" may hold at most " + Calendar.MAX_HOLIDAYS
                    + " dates, not " + dates.size());
        }
        List<String> parsed = new ArrayList<>(dates.size());
        for (JsonNode date : dates) {
            if (!date.isString()) {
                throw ApiException.badParameter("\"calendar.holidays\" must be a list of dates such as "
                        + "\"2026-12-25\"");
            }
            parsed.add(date.asString());
        }
        return parsed;
    }

    private static void onlyKnown(ObjectNode object, Set<String> known, String what) {
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                throw ApiException.badParameter("unknown field \"" + printable(name) + "\" in " + what + "; it takes "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static int integer(ObjectNode object, String group, String name, int min, int max, int absent) {
        JsonNode value = object.get(name);
        if (value == null) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min
                || value.intValue() > max) {
            throw ApiException.badParameter("\"" + group + "." + name + "\" must be a whole number from " + min
                    + " to " + max);
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
