package org.safepath.jobs.primitives;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Calendar days as INDICATORS.md means them: Europe/London days, with summer time. */
public final class LondonCalendar {

    public static final ZoneId LONDON = ZoneId.of("Europe/London");

    private LondonCalendar() {
    }

    public static LocalDate day(long t) {
        return Instant.ofEpochMilli(t).atZone(LONDON).toLocalDate();
    }

    public static boolean sameDay(long a, long b) {
        return Math.abs(a - b) < 26 * 3_600_000L && epochDay(a) == epochDay(b);
    }

    /** The London date of t as a count of days since 1970-01-01 (what {@link #day} gives, without making objects). */
    static long epochDay(long t) {
        long offsetMillis = LONDON.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L;
        return Math.floorDiv(t + offsetMillis, 86_400_000L);
    }

    /** 00:00 London time on a date (23 or 25 hours from the previous one across a clock change). */
    public static long startOf(LocalDate date) {
        return date.atStartOfDay(LONDON).toInstant().toEpochMilli();
    }

    /** A birth date known to the month: 00:00 London time on the first of the month. */
    public static long bornAt(int year, int month) {
        return startOf(LocalDate.of(year, month, 1));
    }

    /** The instant someone born in that month turns {@code years} old (fractions of a year in whole months). */
    public static long ageReachedAt(int birthYear, int birthMonth, int years, int extraMonths) {
        return startOf(LocalDate.of(birthYear, birthMonth, 1).plusYears(years).plusMonths(extraMonths));
    }
}
