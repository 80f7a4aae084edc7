package dev.chatcentral.processor.sla;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.chatcentral.schemas.settings.EmpresaSettings;

/**
 * Time that counts towards an SLA target: an empresa's weekly opening hours in its time zone, less its holidays
 * ({@link EmpresaSettings.Calendar}), or every second when it has no calendar. Local times become instants through
 * the zone's rules of that date, so a day on which clocks go forward has an hour less and one on which they go back
 * an hour more: an interval counts the time that really passes between its start and its end that day. Pure: no clock, no state.
 */
public final class BusinessHours {

    /** Around the clock: every second counts. */
    public static final BusinessHours ALWAYS = new BusinessHours(null, Map.of(), Set.of());

    /**
     * How far ahead a due time is looked for, in days: a target further away in business time (a few minutes a week
     * and a long target) is never due. Bounds the work of one computation.
     */
    static final int HORIZON_DAYS = 5 * 366;

    private static final long MILLIS_PER_SECOND = 1000;

    private final ZoneId zone;
    private final Map<DayOfWeek, List<EmpresaSettings.Interval>> hours;
    private final Set<LocalDate> holidays;

    private BusinessHours(ZoneId zone, Map<DayOfWeek, List<EmpresaSettings.Interval>> hours, Set<LocalDate> holidays) {
        this.zone = zone;
        this.hours = hours;
        this.holidays = holidays;
    }

    /**
     * @param calendar the empresa's calendar, or null for around the clock
     * @throws IllegalArgumentException when the calendar has a {@link EmpresaSettings.Calendar#problem()}
     */
    public static BusinessHours of(EmpresaSettings.Calendar calendar) {
        if (calendar == null) {
            return ALWAYS;
        }
        String problem = calendar.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Map<DayOfWeek, List<EmpresaSettings.Interval>> hours = new EnumMap<>(DayOfWeek.class);
        calendar.weeklyHours().forEach((day, intervals) ->
                hours.put(DayOfWeek.of(EmpresaSettings.Calendar.DAYS.indexOf(day) + 1), intervals));
        return new BusinessHours(ZoneId.of(calendar.timeZone()), hours, calendar.holidayDates());
    }

    /**
     * The instant at which {@code seconds} of business time have passed since {@code start}: with 0, {@code start}
     * itself when it is within business hours, else the next opening. Empty when that is beyond
     * {@link #HORIZON_DAYS}.
     */
    public Optional<Instant> plus(Instant start, long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must not be negative: " + seconds);
        }
        if (zone == null) {
            return Optional.of(start.plusSeconds(seconds));
        }
        long remaining = seconds * MILLIS_PER_SECOND;
        LocalDate day = start.atZone(zone).toLocalDate();
        for (int i = 0; i <= HORIZON_DAYS; i++, day = day.plusDays(1)) {
            for (Instant[] opening : openings(day)) {
                Instant from = opening[0].isAfter(start) ? opening[0] : start;
                if (!from.isBefore(opening[1])) {
                    continue;
                }
                long available = opening[1].toEpochMilli() - from.toEpochMilli();
                if (remaining <= available) {
                    return Optional.of(from.plusMillis(remaining));
                }
                remaining -= available;
            }
        }
        return Optional.empty();
    }

    /** The business seconds from {@code from} to {@code to} (rounded down); 0 when {@code to} is not after it. */
    public long secondsBetween(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        if (zone == null) {
            return (to.toEpochMilli() - from.toEpochMilli()) / MILLIS_PER_SECOND;
        }
        long millis = 0;
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate day = from.atZone(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            for (Instant[] opening : openings(day)) {
                Instant start = opening[0].isAfter(from) ? opening[0] : from;
                Instant end = opening[1].isBefore(to) ? opening[1] : to;
                if (start.isBefore(end)) {
                    millis += end.toEpochMilli() - start.toEpochMilli();
                }
            }
        }
        return millis / MILLIS_PER_SECOND;
    }

    /** The day's opening hours as instants {@code [from, to)}, in order; none on a holiday. */
    private List<Instant[]> openings(LocalDate day) {
        List<EmpresaSettings.Interval> intervals = hours.get(day.getDayOfWeek());
        if (intervals == null || holidays.contains(day)) {
            return List.of();
        }
        List<Instant[]> openings = new ArrayList<>(intervals.size());
        for (EmpresaSettings.Interval interval : intervals) {
            openings.add(new Instant[] {instant(day, interval.startMinute()), instant(day, interval.endMinute())});
        }
        return openings;
    }

    /**
     * A local time of the day as an instant: one the clocks skip (in the gap when they go forward) is the moment they
     * jump, so an interval within the gap is empty and one across it counts the time that passed; one that occurs
     * twice (when they go back) is its earlier occurrence; the end of the day is the next day's start.
     */
    private Instant instant(LocalDate day, int minute) {
        LocalDateTime local = minute == EmpresaSettings.Interval.MINUTES_PER_DAY ? day.plusDays(1).atStartOfDay()
                : day.atTime(minute / 60, minute % 60);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.of(local, zone).toInstant();
    }
}
