package dev.chatcentral.processor.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.settings.EmpresaSettings;
import dev.chatcentral.schemas.settings.EmpresaSettings.Calendar;
import dev.chatcentral.schemas.settings.EmpresaSettings.Interval;

/** Business time across lunch, nights, weekends, holidays and the days clocks change (docs/assignment.md). */
class BusinessHoursTest {

    private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");
    private static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");
    private static final List<Interval> OFFICE = List.of(new Interval("09:00", "12:00"), new Interval("13:00", "18:00"));

    private static Calendar weekdays(String zone, List<String> holidays) {
        Map<String, List<Interval>> week = new LinkedHashMap<>();
        for (String day : List.of("monday", "tuesday", "wednesday", "thursday", "friday")) {
            week.put(day, OFFICE);
        }
        return new Calendar(zone, week, holidays);
    }

    private static Calendar only(String zone, String day, Interval... intervals) {
        return new Calendar(zone, Map.of(day, List.of(intervals)), List.of());
    }

    private static Instant at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    private static Instant plus(BusinessHours hours, Instant start, Duration business) {
        return hours.plus(start, business.toSeconds()).orElseThrow();
    }

    @Test
    void shouldCountEverySecondWithoutACalendar() {
        Instant start = Instant.parse("2026-11-28T23:59:00Z");

        assertThat(plus(BusinessHours.ALWAYS, start, Duration.ofHours(30))).isEqualTo(start.plus(Duration.ofHours(30)));
        assertThat(BusinessHours.of(null).secondsBetween(start, start.plusSeconds(90))).isEqualTo(90);
    }

    @Test
    void shouldAddBusinessTimeWithinADayAndAcrossLunch() {
        BusinessHours hours = BusinessHours.of(weekdays("America/Sao_Paulo", List.of()));
        // 2026-12-01 is a Tuesday
        assertThat(plus(hours, at("2026-12-01T10:00", SAO_PAULO), Duration.ofHours(1)))
                .isEqualTo(at("2026-12-01T11:00", SAO_PAULO));
        assertThat(plus(hours, at("2026-12-01T11:30", SAO_PAULO), Duration.ofHours(1)))
                .isEqualTo(at("2026-12-01T13:30", SAO_PAULO));
        assertThat(hours.secondsBetween(at("2026-12-01T11:30", SAO_PAULO), at("2026-12-01T13:30", SAO_PAULO)))
                .isEqualTo(3600);
    }

    @Test
    void shouldCarryBusinessTimeAcrossANightAndAWeekend() {
        BusinessHours hours = BusinessHours.of(weekdays("America/Sao_Paulo", List.of()));

        assertThat(plus(hours, at("2026-12-01T17:30", SAO_PAULO), Duration.ofHours(1)))
                .isEqualTo(at("2026-12-02T09:30", SAO_PAULO));
        // Friday 17:00 + 2 h: one hour on Friday, one on Monday
        assertThat(plus(hours, at("2026-12-04T17:00", SAO_PAULO), Duration.ofHours(2)))
                .isEqualTo(at("2026-12-07T10:00", SAO_PAULO));
        assertThat(hours.secondsBetween(at("2026-12-04T17:00", SAO_PAULO), at("2026-12-07T10:00", SAO_PAULO)))
                .isEqualTo(7200);
        assertThat(hours.secondsBetween(at("2026-12-07T10:00", SAO_PAULO), at("2026-12-04T17:00", SAO_PAULO)))
                .isZero();
    }

    @Test
    void shouldStartAtTheNextOpeningWhenStartedOutsideBusinessHours() {
        BusinessHours hours = BusinessHours.of(weekdays("America/Sao_Paulo", List.of()));

        assertThat(plus(hours, at("2026-12-05T10:00", SAO_PAULO), Duration.ofMinutes(30)))
                .isEqualTo(at("2026-12-07T09:30", SAO_PAULO));
        assertThat(plus(hours, at("2026-12-05T10:00", SAO_PAULO), Duration.ZERO))
                .isEqualTo(at("2026-12-07T09:00", SAO_PAULO));
        assertThat(plus(hours, at("2026-12-01T12:15", SAO_PAULO), Duration.ZERO))
                .isEqualTo(at("2026-12-01T13:00", SAO_PAULO));
        assertThat(hours.secondsBetween(at("2026-12-05T00:00", SAO_PAULO), at("2026-12-06T23:59", SAO_PAULO)))
                .isZero();
    }

    @Test
    void shouldSkipHolidays() {
        BusinessHours hours = BusinessHours.of(weekdays("America/Sao_Paulo", List.of("2026-12-25", "2026-12-28")));

        // Thursday the 24th at 17:00 + 2 h: Friday the 25th and Monday the 28th are holidays
        assertThat(plus(hours, at("2026-12-24T17:00", SAO_PAULO), Duration.ofHours(2)))
                .isEqualTo(at("2026-12-29T10:00", SAO_PAULO));
        assertThat(hours.secondsBetween(at("2026-12-24T00:00", SAO_PAULO), at("2026-12-30T00:00", SAO_PAULO)))
                .isEqualTo(2 * 8 * 3600);
    }

    @Test
    void shouldCountTheHoursThatReallyPassWhenLisbonsClocksGoForwardAndBack() {
        Calendar sundays = only("Europe/Lisbon", "sunday", new Interval("00:00", "03:00"));
        BusinessHours hours = BusinessHours.of(sundays);
        // 2026-03-29 01:00 UTC: 01:00 WET becomes 02:00 WEST; 00:00-03:00 local is two hours long
        assertThat(hours.secondsBetween(Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-03-30T12:00:00Z")))
                .isEqualTo(2 * 3600);
        assertThat(plus(hours, Instant.parse("2026-03-29T00:00:00Z"), Duration.ofMinutes(90)))
                .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"))
                .isEqualTo(at("2026-03-29T02:30", LISBON));
        // 2026-10-25 01:00 UTC: 02:00 WEST becomes 01:00 WET; 00:00-03:00 local is four hours long
        assertThat(hours.secondsBetween(Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-25T12:00:00Z")))
                .isEqualTo(4 * 3600);
        assertThat(plus(hours, Instant.parse("2026-10-24T23:00:00Z"), Duration.ofHours(4)))
                .isEqualTo(Instant.parse("2026-10-25T03:00:00Z"));

        // an hour the clocks skip counts nothing: that Sunday has no business time, the next one has its hour
        BusinessHours skipped = BusinessHours.of(only("Europe/Lisbon", "sunday", new Interval("01:00", "02:00")));
        assertThat(skipped.secondsBetween(Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")))
                .isZero();
        assertThat(plus(skipped, Instant.parse("2026-03-28T00:00:00Z"), Duration.ofMinutes(10)))
                .isEqualTo(at("2026-04-05T01:10", LISBON));
    }

    @Test
    void shouldCarryAWeekdayTargetAcrossTheWeekendLisbonsClocksGoForward() {
        BusinessHours hours = BusinessHours.of(weekdays("Europe/Lisbon", List.of()));

        // Friday 17:00 WET + 2 h: Monday 10:00 WEST, 64 hours later, not the 65 the wall clocks show
        Instant friday = at("2026-03-27T17:00", LISBON);
        Instant due = plus(hours, friday, Duration.ofHours(2));

        assertThat(due).isEqualTo(at("2026-03-30T10:00", LISBON)).isEqualTo(Instant.parse("2026-03-30T09:00:00Z"));
        assertThat(Duration.between(friday, due)).isEqualTo(Duration.ofHours(64));
        assertThat(hours.secondsBetween(friday, due)).isEqualTo(7200);
    }

    @Test
    void shouldGiveSaoPaulosHistoricalDaysOfDaylightSavingTheirLength() {
        Calendar always = new Calendar("America/Sao_Paulo", Map.of(
                "monday", List.of(new Interval("00:00", "24:00")), "saturday", List.of(new Interval("00:00", "24:00")),
                "sunday", List.of(new Interval("00:00", "24:00"))), List.of());
        BusinessHours hours = BusinessHours.of(always);
        // 2018-11-04 (a Sunday) began at 01:00 -02: midnight did not exist; 2019-02-16 (a Saturday) went on after
        // its 24:00 -02 had become 23:00 -03
        assertThat(hours.secondsBetween(Instant.parse("2018-11-04T03:00:00Z"), Instant.parse("2018-11-05T02:00:00Z")))
                .isEqualTo(23 * 3600);
        assertThat(hours.secondsBetween(Instant.parse("2019-02-16T02:00:00Z"), Instant.parse("2019-02-17T03:00:00Z")))
                .isEqualTo(25 * 3600);
        // Saturday's second 23:00 (-03) + 3 business hours: the rest of Saturday, an hour, then two of Sunday
        assertThat(plus(hours, Instant.parse("2019-02-17T02:00:00Z"), Duration.ofHours(3)))
                .isEqualTo(Instant.parse("2019-02-17T05:00:00Z"));
    }

    @Test
    void shouldNeverBeDueWhenTheTargetIsBeyondTheHorizon() {
        BusinessHours minuteAWeek = BusinessHours.of(only("UTC", "monday", new Interval("09:00", "09:01")));

        assertThat(minuteAWeek.plus(Instant.parse("2026-12-01T00:00:00Z"),
                EmpresaSettings.Sla.MAX_TARGET_SECONDS)).isEmpty();
        assertThat(minuteAWeek.plus(Instant.parse("2026-12-01T00:00:00Z"), 120)).contains(
                Instant.parse("2026-12-14T09:01:00Z"));
    }

    @Test
    void shouldRefuseACalendarItCannotUse() {
        assertThatThrownBy(() -> BusinessHours.of(only("Mars/Olympus_Mons", "monday", new Interval("09:00", "18:00"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeZone");
        assertThatThrownBy(() -> BusinessHours.of(new Calendar("UTC", Map.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one day");
    }
}
