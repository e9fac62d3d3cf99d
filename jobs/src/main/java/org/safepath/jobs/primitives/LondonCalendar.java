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
        return day(a).equals(day(b));
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
