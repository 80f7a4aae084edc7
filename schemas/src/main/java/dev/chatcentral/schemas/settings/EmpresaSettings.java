package dev.chatcentral.schemas.settings;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one empresa runs its customer service, as kept in the compacted {@code chat.empresa.settings} (key =
 * empresaId, the deployment's partition count, so the conversa topology reads an empresa's settings in the task of
 * its conversas). The gateway's settings API writes a whole new record at each change; readers keep the one with
 * the highest {@code version}. A record written before a group of settings existed reads with that group's
 * defaults; readers ignore the properties they do not know.
 *
 * @param version    grows by one at each change of the empresa's settings; 0 for the defaults nobody wrote
 * @param assignment how waiting conversas are handed to atendentes
 * @param sla        the response targets measured on the conversas; {@link Sla#OFF} when absent
 * @param calendar   the business hours SLA targets are measured in; null (or absent) for around the clock, in UTC
 * @param updatedAt  when the change was made; null for the defaults
 * @param updatedBy  the userId of the admin who made it; null for the defaults
 */
public record EmpresaSettings(String empresaId, long version, Assignment assignment, Sla sla, Calendar calendar,
                              Instant updatedAt, String updatedBy) {

    public EmpresaSettings {
        Objects.requireNonNull(assignment, "assignment");
        sla = sla == null ? Sla.OFF : sla;
    }

    /** Settings without SLA targets, whose business hours are around the clock. */
    public EmpresaSettings(String empresaId, long version, Assignment assignment, Instant updatedAt,
                           String updatedBy) {
        this(empresaId, version, assignment, Sla.OFF, null, updatedAt, updatedBy);
    }

    /** The settings of an empresa that never wrote any: nothing is assigned automatically, no SLA is measured. */
    public static EmpresaSettings defaults(String empresaId) {
        return new EmpresaSettings(empresaId, 0, Assignment.OFF, null, null);
    }

    /**
     * @param mode                one of {@link #MODES}; a reader treats a mode it does not know as {@link #OFF_MODE}
     * @param defaultCapacity     how many open conversas an atendente may hold before automatic assignment passes
     *                            them by, 1 to {@link #MAX_CAPACITY}
     * @param capacities          per-atendente capacity by userId (0 to {@link #MAX_CAPACITY}: 0 takes the
     *                            atendente out of automatic assignment), at most {@link #MAX_CAPACITY_OVERRIDES}
     * @param offlineGraceSeconds how long an atendente may be offline before their conversas return to the queue,
     *                            0 to {@link #MAX_OFFLINE_GRACE_SECONDS}
     */
    public record Assignment(String mode, int defaultCapacity, Map<String, Integer> capacities,
                             int offlineGraceSeconds) {

        public static final String OFF_MODE = "off";
        public static final String ROUND_ROBIN = "round_robin";
        public static final String LEAST_LOADED = "least_loaded";
        public static final List<String> MODES = List.of(OFF_MODE, ROUND_ROBIN, LEAST_LOADED);

        public static final int MAX_CAPACITY = 100;
        public static final int MAX_CAPACITY_OVERRIDES = 1000;
        public static final int MAX_OFFLINE_GRACE_SECONDS = 24 * 60 * 60;
        public static final int DEFAULT_CAPACITY = 5;
        public static final int DEFAULT_OFFLINE_GRACE_SECONDS = 120;

        public static final Assignment OFF =
                new Assignment(OFF_MODE, DEFAULT_CAPACITY, Map.of(), DEFAULT_OFFLINE_GRACE_SECONDS);

        public Assignment {
            capacities = Map.copyOf(capacities);
        }

        /** How many open conversas {@code atendenteId} may hold. */
        public int capacityOf(String atendenteId) {
            return capacities.getOrDefault(atendenteId, defaultCapacity);
        }

        /** Whether conversas are handed out automatically: a known mode other than {@link #OFF_MODE}. */
        public boolean automatic() {
            return ROUND_ROBIN.equals(mode) || LEAST_LOADED.equals(mode);
        }
    }

    /**
     * Response targets, in business seconds ({@link Calendar}); 0 switches a target off.
     *
     * @param firstResponseSeconds how long an atendente has to answer a conversa assigned to them or reopened, 0 to
     *                             {@link #MAX_TARGET_SECONDS}
     * @param nextResponseSeconds  how long an atendente has to answer a customer who wrote after their reply, 0 to
     *                             {@link #MAX_TARGET_SECONDS}
     * @param warningBeforeSeconds how many business seconds before a response is due it is warned of: 0 for no
     *                             warning, else below every target that is on
     */
    public record Sla(int firstResponseSeconds, int nextResponseSeconds, int warningBeforeSeconds) {

        /** Thirty days: a target further away measures nothing a contact centre acts on. */
        public static final int MAX_TARGET_SECONDS = 30 * 24 * 60 * 60;

        public static final Sla OFF = new Sla(0, 0, 0);

        /** Whether any target is measured. */
        public boolean on() {
            return firstResponseSeconds > 0 || nextResponseSeconds > 0;
        }

        /** Why these targets cannot be measured, or null when they can. */
        public String problem() {
            if (outOfRange(firstResponseSeconds) || outOfRange(nextResponseSeconds)
                    || outOfRange(warningBeforeSeconds)) {
                return "SLA seconds must be whole numbers from 0 to " + MAX_TARGET_SECONDS;
            }
            if (warningBeforeSeconds > 0 && (tooLate(firstResponseSeconds) || tooLate(nextResponseSeconds))) {
                return "the SLA warning must come before the response is due: warningBeforeSeconds must be below "
                        + "every target that is on";
            }
            return null;
        }

        private static boolean outOfRange(int seconds) {
            return seconds < 0 || seconds > MAX_TARGET_SECONDS;
        }

        private boolean tooLate(int target) {
            return target > 0 && warningBeforeSeconds >= target;
        }
    }

    /**
     * The empresa's business hours: when SLA clocks run.
     *
     * @param timeZone    an IANA time zone id ({@code America/Sao_Paulo}, {@code Europe/Lisbon}, {@code UTC}): the
     *                    hours and holidays are its local times and dates
     * @param weeklyHours by day of the week ({@link #DAYS}), its opening hours, sorted and not overlapping; a day not
     *                    named is closed. At least one interval in the week
     * @param holidays    local dates ({@code 2026-12-25}) closed all day, at most {@link #MAX_HOLIDAYS}, each once
     */
    public record Calendar(String timeZone, Map<String, List<Interval>> weeklyHours, List<String> holidays) {

        public static final List<String> DAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday",
                "saturday", "sunday");
        public static final int MAX_INTERVALS_PER_DAY = 8;
        public static final int MAX_HOLIDAYS = 400;
        /** The longest IANA id is 32 characters ({@code America/Argentina/ComodRivadavia}). */
        public static final int MAX_TIME_ZONE_LENGTH = 64;

        private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

        public Calendar {
            Map<String, List<Interval>> given = weeklyHours == null ? Map.of() : weeklyHours;
            Map<String, List<Interval>> days = new LinkedHashMap<>();
            // in the order of the week, so a record writes its days the same way each time
            for (String day : DAYS) {
                if (given.containsKey(day)) {
                    days.put(day, List.copyOf(given.get(day)));
                }
            }
            given.forEach((day, intervals) -> {
                if (!days.containsKey(day)) {
                    days.put(day, List.copyOf(intervals));
                }
            });
            weeklyHours = Collections.unmodifiableMap(days);
            holidays = holidays == null ? List.of() : List.copyOf(holidays);
        }

        /** Why these hours cannot be used, or null when they can. */
        public String problem() {
            if (timeZone == null || timeZone.isEmpty() || timeZone.length() > MAX_TIME_ZONE_LENGTH
                    || !ZoneId.getAvailableZoneIds().contains(timeZone)) {
                return "the calendar's timeZone must be an IANA time zone id such as America/Sao_Paulo";
            }
            int open = 0;
            for (Map.Entry<String, List<Interval>> day : weeklyHours.entrySet()) {
                if (!DAYS.contains(day.getKey())) {
                    return "the calendar's weeklyHours are named by day: " + DAYS;
                }
                List<Interval> intervals = day.getValue();
                if (intervals.size() > MAX_INTERVALS_PER_DAY) {
                    return "the calendar holds more than " + MAX_INTERVALS_PER_DAY + " intervals on " + day.getKey();
                }
                int previousEnd = -1;
                for (Interval interval : intervals) {
                    String problem = interval.problem();
                    if (problem != null) {
                        return problem + " (" + day.getKey() + ")";
                    }
                    if (interval.startMinute() < previousEnd) {
                        return "the calendar's intervals on " + day.getKey() + " must be sorted and must not overlap";
                    }
                    previousEnd = interval.endMinute();
                    open++;
                }
            }
            if (open == 0) {
                return "the calendar must have business hours on at least one day";
            }
            if (holidays.size() > MAX_HOLIDAYS) {
                return "the calendar holds more than " + MAX_HOLIDAYS + " holidays";
            }
            Set<String> seen = new HashSet<>();
            for (String holiday : holidays) {
                if (holiday == null || !DATE.matcher(holiday).matches() || date(holiday) == null) {
                    return "the calendar's holidays must be dates such as 2026-12-25";
                }
                if (!seen.add(holiday)) {
                    return "the calendar names holiday " + holiday + " twice";
                }
            }
            return null;
        }

        /** The holidays as dates; call only on a calendar without a {@link #problem()}. */
        public Set<LocalDate> holidayDates() {
            Set<LocalDate> dates = new HashSet<>();
            holidays.forEach(holiday -> dates.add(LocalDate.parse(holiday)));
            return dates;
        }

        private static LocalDate date(String text) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }

    /**
     * Opening hours within one day, in local time: from {@code start} up to, not including, {@code end}.
     *
     * @param start {@code HH:mm}, from {@code 00:00} to {@code 23:59}
     * @param end   {@code HH:mm} after {@code start}, up to {@code 24:00} (the end of the day)
     */
    public record Interval(String start, String end) {

        private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]|24:00");
        public static final int MINUTES_PER_DAY = 24 * 60;

        /** Why this interval cannot be used, or null when it can. */
        public String problem() {
            if (start == null || end == null || !TIME.matcher(start).matches() || !TIME.matcher(end).matches()) {
                return "a calendar interval's start and end must be times such as 09:00 (end up to 24:00)";
            }
            if (startMinute() >= endMinute()) {
                return "a calendar interval must end after it starts";
            }
            return null;
        }

        /** {@code start} as minutes since midnight; call only on an interval without a {@link #problem()}. */
        public int startMinute() {
            return minutes(start);
        }

        /** {@code end} as minutes since midnight, 1440 for {@code 24:00}. */
        public int endMinute() {
            return minutes(end);
        }

        private static int minutes(String time) {
            return Integer.parseInt(time.substring(0, 2)) * 60 + Integer.parseInt(time.substring(3, 5));
        }
    }
}
