package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** London days and birthdays, worked out by hand against UTC. */
class LondonCalendarTest {

    private static long at(String utc) {
        return Instant.parse(utc).toEpochMilli();
    }

    @Test
    void aDayInSummerTimeStartsAt2300UtcTheEveningBefore() {
        // 23:30 UTC on 1 July is 00:30 BST on 2 July.
        assertThat(LondonCalendar.sameDay(at("2026-07-01T23:30:00Z"), at("2026-07-02T10:00:00Z"))).isTrue();
        assertThat(LondonCalendar.sameDay(at("2026-07-01T22:30:00Z"), at("2026-07-01T23:30:00Z"))).isFalse();
        // In winter London is UTC: 23:30 and 00:30 UTC are different days.
        assertThat(LondonCalendar.sameDay(at("2026-01-01T23:30:00Z"), at("2026-01-02T00:30:00Z"))).isFalse();
    }

    @Test
    void theDayOfTheClockChangeHas23Hours() {
        long sunday = LondonCalendar.startOf(java.time.LocalDate.of(2026, 3, 29));
        long monday = LondonCalendar.startOf(java.time.LocalDate.of(2026, 3, 30));
        assertThat(sunday).isEqualTo(at("2026-03-29T00:00:00Z"));
        assertThat(monday).isEqualTo(at("2026-03-29T23:00:00Z"));
        assertThat(monday - sunday).isEqualTo(23 * 3_600_000L);
    }

    @Test
    void aBirthdayKnownToTheMonthIsMidnightLondonOnTheFirst() {
        // Born June 2008: 00:00 BST on 1 June 2008, and 18 at 00:00 BST on 1 June 2026 (23:00 UTC on 31 May).
        assertThat(LondonCalendar.bornAt(2008, 6)).isEqualTo(at("2008-05-31T23:00:00Z"));
        assertThat(LondonCalendar.ageReachedAt(2008, 6, 18, 0)).isEqualTo(at("2026-05-31T23:00:00Z"));
        // Seventeen and a half: 1 December 2025, in winter time.
        assertThat(LondonCalendar.ageReachedAt(2008, 6, 17, 6)).isEqualTo(at("2025-12-01T00:00:00Z"));
    }

    @Test
    void aResponseIsOnTheSameDayOnlyWithinOneLondonDayAcrossTheClockChanges() {
        // 29 March 2026 (23 hours): 00:30 UTC = 00:30 GMT and 22:30 UTC = 23:30 BST, the same London day.
        assertThat(LondonCalendar.sameDay(at("2026-03-29T00:30:00Z"), at("2026-03-29T22:30:00Z"))).isTrue();
        assertThat(LondonCalendar.sameDay(at("2026-03-29T00:30:00Z"), at("2026-03-29T23:00:00Z"))).isFalse();
        // 25 October 2026 (25 hours): 23:00 UTC on the 24th = 00:00 BST on the 25th; 23:59 UTC on the 25th = 23:59 GMT.
        assertThat(LondonCalendar.sameDay(at("2026-10-24T23:00:00Z"), at("2026-10-25T23:59:00Z"))).isTrue();
        assertThat(LondonCalendar.sameDay(at("2026-10-24T22:59:00Z"), at("2026-10-24T23:00:00Z"))).isFalse();
        assertThat(LondonCalendar.sameDay(at("2026-10-24T23:00:00Z"), at("2026-10-26T00:00:00Z"))).isFalse();
        // Either order; days apart never.
        assertThat(LondonCalendar.sameDay(at("2026-10-25T23:59:00Z"), at("2026-10-24T23:00:00Z"))).isTrue();
        assertThat(LondonCalendar.sameDay(at("2026-01-01T12:00:00Z"), at("2026-01-08T12:00:00Z"))).isFalse();
    }

    @Test
    void theOffsetAndLondonDateOfAnInstantAreJavaTimesAroundEveryClockChangeAndBeyondTheTable() {
        // The reference: java.time's own zone rules, instant by instant.
        java.util.Random random = new java.util.Random(3);
        java.time.zone.ZoneRules rules = LondonCalendar.LONDON.getRules();
        java.util.List<Long> instants = new java.util.ArrayList<>();
        for (var tr = rules.nextTransition(Instant.parse("1968-01-01T00:00:00Z")); tr.getInstant().isBefore(Instant.parse("2103-01-01T00:00:00Z"));
             tr = rules.nextTransition(tr.getInstant())) {
            long change = tr.getInstant().toEpochMilli();
            for (long d : new long[]{-3_600_001, -3_600_000, -1, 0, 1, 3_599_999, 3_600_000}) {
                instants.add(change + d);
            }
        }
        for (int i = 0; i < 20_000; i++) {
            instants.add(at("1960-01-01T00:00:00Z") + (long) (random.nextDouble() * (at("2110-01-01T00:00:00Z") - at("1960-01-01T00:00:00Z"))));
        }
        instants.add(at("1970-01-01T00:00:00Z"));
        instants.add(at("2100-01-01T00:00:00Z"));
        assertThat(instants.size()).isGreaterThan(20_000 + 7 * 250);
        for (long t : instants) {
            assertThat(LondonCalendar.offsetMillis(t)).as("offset at %s", Instant.ofEpochMilli(t))
                    .isEqualTo(rules.getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L);
            assertThat(LondonCalendar.epochDay(t)).as("%s", Instant.ofEpochMilli(t)).isEqualTo(LondonCalendar.day(t).toEpochDay());
        }
    }
}
