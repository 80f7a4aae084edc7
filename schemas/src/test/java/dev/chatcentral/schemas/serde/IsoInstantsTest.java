package dev.chatcentral.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class IsoInstantsTest {

    /** What every service wrote before the codec: Jackson's own java.time support. */
    private static final JsonMapper JACKSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    record Stamped(String id, Instant at) {
    }

    @Test
    void shouldWriteTheSameTextAsJacksonForEveryFractionLength() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            Stamped stamped = new Stamped("m" + i, instant);
            assertThat(Json.MAPPER.writeValueAsString(stamped)).isEqualTo(JACKSON.writeValueAsString(stamped));
            assertThat(IsoInstants.parseCanonical(instant.toString())).isEqualTo(instant);
        }
    }

    @Test
    void shouldReadWhatJacksonWrote() {
        Stamped stamped = new Stamped("m", Instant.parse("2025-10-21T14:40:39.512Z"));
        assertThat(Json.MAPPER.readValue(JACKSON.writeValueAsBytes(stamped), Stamped.class)).isEqualTo(stamped);
    }

    @Test
    void shouldLeaveOtherFormsToJackson() {
        assertThat(read("\"2025-10-21T11:40:39.5-03:00\"")).isEqualTo(Instant.parse("2025-10-21T14:40:39.500Z"));
        assertThat(read("\"+12025-10-21T14:40:39Z\"")).isEqualTo(Instant.parse("+12025-10-21T14:40:39Z"));
        assertThat(read("1761057639.512")).isEqualTo(Instant.parse("2025-10-21T14:40:39.512Z"));
        assertThat(read("\"2025-10-21t14:40:39z\"")).isEqualTo(Instant.parse("2025-10-21T14:40:39Z"));
        assertThat(IsoInstants.parseCanonical("2025-02-29T00:00:00Z")).isNull();
        assertThat(IsoInstants.parseCanonical("2025-10-21T24:00:00Z")).isNull();
        assertThat(IsoInstants.parseCanonical("2025-10-21 14:40:39Z")).isNull();
        assertThat(IsoInstants.parseCanonical("2025-10-21T14:40:39.Z")).isNull();
    }

    @Test
    void shouldRejectWhatJacksonRejects() {
        assertThatThrownBy(() -> read("\"2025-02-29T00:00:00Z\"")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> read("\"yesterday\"")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> read("\"2025-10-21T14:40:39.1234567890Z\"")).isInstanceOf(JacksonException.class);
    }

    private static Instant read(String json) {
        return Json.MAPPER.readValue("{\"id\":\"x\",\"at\":" + json + "}", Stamped.class).at();
    }
}
