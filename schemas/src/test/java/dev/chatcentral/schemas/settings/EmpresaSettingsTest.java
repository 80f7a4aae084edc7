package dev.chatcentral.schemas.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.settings.EmpresaSettings.Calendar;
import dev.chatcentral.schemas.settings.EmpresaSettings.Interval;
import dev.chatcentral.schemas.settings.EmpresaSettings.Sla;
import dev.chatcentral.schemas.topic.Topics;

/** The settings record as the topic holds it: older records still read, and every unusable value is named. */
class EmpresaSettingsTest {

    private static final List<Interval> OFFICE = List.of(new Interval("09:00", "12:00"), new Interval("13:00", "18:00"));

    private static EmpresaSettings read(String json) {
        return Topics.EMPRESA_SETTINGS.valueSerde().deserializer().deserialize(Topics.EMPRESA_SETTINGS.name(),
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadARecordWrittenBeforeSlaAndCalendarExistedWithTheirDefaults() {
        EmpresaSettings old = read("{\"empresaId\":\"emp-1\",\"version\":4,\"assignment\":{\"mode\":\"round_robin\","
                + "\"defaultCapacity\":3,\"capacities\":{\"u-1\":2},\"offlineGraceSeconds\":60},"
                + "\"updatedAt\":\"2026-11-30T10:00:00Z\",\"updatedBy\":\"dona\"}");

        assertThat(old.sla()).isEqualTo(Sla.OFF);
        assertThat(old.sla().on()).isFalse();
        assertThat(old.calendar()).isNull();
        assertThat(old.assignment().capacityOf("u-1")).isEqualTo(2);
        assertThat(EmpresaSettings.defaults("emp-1").sla()).isEqualTo(Sla.OFF);
    }

    @Test
    void shouldWriteAndReadBackSlaTargetsAndACalendar() {
        EmpresaSettings settings = new EmpresaSettings("emp-1", 2, EmpresaSettings.Assignment.OFF,
                new Sla(900, 1800, 300), new Calendar("America/Sao_Paulo",
                        Map.of("friday", OFFICE, "monday", OFFICE), List.of("2026-12-25")),
                Instant.parse("2026-11-30T10:00:00Z"), "dona");

        byte[] bytes = Topics.EMPRESA_SETTINGS.valueSerde().serializer().serialize("", settings);
        EmpresaSettings back = read(new String(bytes, StandardCharsets.UTF_8));

        assertThat(back).isEqualTo(settings);
        assertThat(back.calendar().weeklyHours().keySet()).containsExactly("monday", "friday");
        assertThat(back.calendar().problem()).isNull();
        assertThat(back.sla().problem()).isNull();
    }

    @Test
    void shouldNameWhatMakesTargetsUnusable() {
        assertThat(new Sla(0, 0, 0).problem()).isNull();
        assertThat(new Sla(600, 0, 599).problem()).isNull();
        assertThat(new Sla(-1, 0, 0).problem()).contains("from 0 to");
        assertThat(new Sla(0, Sla.MAX_TARGET_SECONDS + 1, 0).problem()).contains("from 0 to");
        assertThat(new Sla(600, 0, -5).problem()).contains("from 0 to");
        assertThat(new Sla(600, 1200, 600).problem()).contains("below every target");
        assertThat(new Sla(0, 60, 90).problem()).contains("below every target");
    }

    @Test
    void shouldNameWhatMakesACalendarUnusable() {
        Map<String, List<Interval>> monday = Map.of("monday", OFFICE);
        assertThat(new Calendar("Europe/Lisbon", monday, List.of()).problem()).isNull();
        assertThat(new Calendar("UTC", Map.of("sunday", List.of(new Interval("00:00", "24:00"))), null).problem())
                .isNull();
        assertThat(new Calendar("Mars/Olympus_Mons", monday, List.of()).problem()).contains("timeZone");
        assertThat(new Calendar("+03:00", monday, List.of()).problem()).contains("timeZone");
        assertThat(new Calendar(null, monday, List.of()).problem()).contains("timeZone");
        assertThat(new Calendar("UTC\u0000", monday, List.of()).problem()).contains("timeZone");
        assertThat(new Calendar("x".repeat(10_000), monday, List.of()).problem()).contains("timeZone")
                .hasSizeLessThan(200);
        assertThat(new Calendar("UTC", Map.of(), List.of()).problem()).contains("at least one day");
        assertThat(new Calendar("UTC", Map.of("monday", List.of()), List.of()).problem()).contains("at least one day");
        assertThat(new Calendar("UTC", Map.of("Monday", OFFICE), List.of()).problem()).contains("by day");
        assertThat(new Calendar("UTC", Map.of("monday", List.of(new Interval("13:00", "18:00"),
                new Interval("09:00", "12:00"))), List.of()).problem()).contains("sorted");
        assertThat(new Calendar("UTC", Map.of("monday", List.of(new Interval("09:00", "13:00"),
                new Interval("12:00", "18:00"))), List.of()).problem()).contains("overlap");
        assertThat(new Calendar("UTC", Map.of("monday", List.of(new Interval("09:00", "12:00"),
                new Interval("12:00", "18:00"))), List.of()).problem()).as("touching intervals").isNull();
        assertThat(new Calendar("UTC", Map.of("monday", List.of(new Interval("18:00", "09:00"))), List.of())
                .problem()).contains("end after it starts");
        for (String time : List.of("9:00", "24:01", "25:00", "12:60", "", "09:00\u0000", "noon")) {
            assertThat(new Calendar("UTC", Map.of("monday", List.of(new Interval(time, "23:00"))), List.of())
                    .problem()).as(time).contains("times such as 09:00");
        }
        assertThat(new Calendar("UTC", Map.of("monday", List.of(new Interval("24:00", "24:00"))), List.of())
                .problem()).contains("end after it starts");
        List<Interval> nine = List.of(new Interval("00:00", "01:00"), new Interval("02:00", "03:00"),
                new Interval("04:00", "05:00"), new Interval("06:00", "07:00"), new Interval("08:00", "09:00"),
                new Interval("10:00", "11:00"), new Interval("12:00", "13:00"), new Interval("14:00", "15:00"),
                new Interval("16:00", "17:00"));
        assertThat(new Calendar("UTC", Map.of("monday", nine), List.of()).problem()).contains("more than 8");
        for (String date : List.of("2026-02-30", "25/12/2026", "+12026-12-25", "2026-12-25T00:00", "")) {
            assertThat(new Calendar("UTC", monday, List.of(date)).problem()).as(date).contains("holidays must be dates");
        }
        assertThat(new Calendar("UTC", monday, List.of("2026-12-25", "2026-12-25")).problem()).contains("twice");
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i <= Calendar.MAX_HOLIDAYS; i++) {
            many.add(java.time.LocalDate.of(2026, 1, 1).plusDays(i).toString());
        }
        assertThat(new Calendar("UTC", monday, many).problem()).contains("more than " + Calendar.MAX_HOLIDAYS);
    }
}
