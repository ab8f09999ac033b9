package io.snapline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void tokyoTwiceADay_isTwoSlotsADayInJst() {
        Cron cron = Cron.parse("cron(0 2,14 * * ? *)");
        assertThat(cron.slotsOn(LocalDate.of(2026, 12, 1), TOKYO)).containsExactly(
                Instant.parse("2026-11-30T17:00:00Z"), Instant.parse("2026-12-01T05:00:00Z"));
        assertThat(cron.isSlot(Instant.parse("2026-12-01T17:00:00Z"), TOKYO)).isTrue();
        assertThat(cron.isSlot(Instant.parse("2026-12-01T17:01:00Z"), TOKYO)).isFalse();
        assertThat(cron.previousSlot(Instant.parse("2026-12-01T16:59:00Z"), TOKYO))
                .contains(Instant.parse("2026-12-01T05:00:00Z"));
        assertThat(cron.nextSlot(Instant.parse("2026-12-01T05:00:00Z"), TOKYO))
                .contains(Instant.parse("2026-12-01T17:00:00Z"));
    }

    @Test
    void aSlotInTheSkippedHour_runsAtTheSameOffsetAfterTheGap() {
        // 2026-03-08: New York jumps from 02:00 EST to 03:00 EDT; 02:30 does not exist
        Cron cron = Cron.parse("cron(30 2 * * ? *)");
        assertThat(cron.slotsOn(LocalDate.of(2026, 3, 8), NEW_YORK))
                .containsExactly(Instant.parse("2026-03-08T07:30:00Z")); // 03:30 EDT
        assertThat(cron.slotsOn(LocalDate.of(2026, 3, 7), NEW_YORK))
                .containsExactly(Instant.parse("2026-03-07T07:30:00Z")); // 02:30 EST
    }

    @Test
    void twoLocalTimesThatLandOnOneInstantInTheGap_areOneSlot() {
        Cron cron = Cron.parse("cron(30 2,3 * * ? *)");
        assertThat(cron.slotsOn(LocalDate.of(2026, 3, 8), NEW_YORK))
                .containsExactly(Instant.parse("2026-03-08T07:30:00Z"));
    }

    @Test
    void aSlotInTheRepeatedHour_runsOnceAtItsFirstOccurrence() {
        // 2026-11-01: New York falls back from 02:00 EDT to 01:00 EST; 01:30 happens twice
        Cron cron = Cron.parse("cron(30 1 * * ? *)");
        assertThat(cron.slotsOn(LocalDate.of(2026, 11, 1), NEW_YORK))
                .containsExactly(Instant.parse("2026-11-01T05:30:00Z")); // 01:30 EDT only
        assertThat(cron.isSlot(Instant.parse("2026-11-01T06:30:00Z"), NEW_YORK)).isFalse(); // 01:30 EST
    }

    @Test
    void hourlyAcrossTheRepeatedHour_hasOneSlotPerLocalHour() {
        Cron cron = Cron.parse("cron(0 * * * ? *)");
        assertThat(cron.slotsOn(LocalDate.of(2026, 11, 1), NEW_YORK)).hasSize(24);
        assertThat(cron.slotsOn(LocalDate.of(2026, 3, 8), NEW_YORK)).hasSize(23);
    }

    @Test
    void daysOfWeekCountFromSunday_asEventBridgeDoes() {
        Cron weekdays = Cron.parse("cron(0 9 ? * MON-FRI *)");
        Cron numeric = Cron.parse("cron(0 9 ? * 2-6 *)");
        for (int d = 1; d <= 14; d++) {
            LocalDate day = LocalDate.of(2026, 12, d);
            assertThat(weekdays.slotsOn(day, ZoneId.of("UTC"))).isEqualTo(numeric.slotsOn(day, ZoneId.of("UTC")));
        }
        assertThat(weekdays.slotsOn(LocalDate.of(2026, 12, 6), ZoneId.of("UTC"))).isEmpty(); // a Sunday
        assertThat(weekdays.slotsOn(LocalDate.of(2026, 12, 7), ZoneId.of("UTC"))).hasSize(1); // a Monday
    }

    @Test
    void stepsListsAndYears() {
        Cron cron = Cron.parse("cron(0/15 */6 1,15 JAN-MAR ? 2027)");
        assertThat(cron.slotsOn(LocalDate.of(2027, 1, 15), ZoneId.of("UTC"))).hasSize(16);
        assertThat(cron.slotsOn(LocalDate.of(2026, 1, 15), ZoneId.of("UTC"))).isEmpty();
        assertThat(cron.slotsOn(LocalDate.of(2027, 4, 1), ZoneId.of("UTC"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rate(1 day)|only cron(...) schedules",
            "0 2 * * ? *|is not of the form cron(",
            "cron(0 2 * * ?)|has 5 fields",
            "cron(0 2 * * * *)|exactly one of day-of-month and day-of-week must be ?",
            "cron(0 2 ? * ? *)|exactly one of day-of-month and day-of-week must be ?",
            "cron(0 2 L * ? *)|L, W and #",
            "cron(0 2 ? * 2#1 *)|L, W and #",
            "cron(0 2 15W * ? *)|L, W and #",
            "cron(61 2 * * ? *)|minutes value '61' is not a number from 0 to 59",
            "cron(0 24 * * ? *)|hours value '24'",
            "cron(0 5-2 * * ? *)|runs backwards",
            "cron(0 2 * FOO ? *)|month value 'FOO'"})
    void refusesWhatItDoesNotSupport_withTheReason(String expression, String reason) {
        assertThatThrownBy(() -> Cron.parse(expression)).isInstanceOf(Cron.InvalidCronException.class)
                .hasMessageContaining(reason);
        assertThat(Cron.problem(expression)).isPresent();
    }
}
