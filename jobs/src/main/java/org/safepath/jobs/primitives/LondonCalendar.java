package org.safepath.jobs.primitives;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        return Math.floorDiv(t + offsetMillis(t), 86_400_000L);
    }

    /**
     * London's offset from UTC at t. Between 1970 and 2100 from a table of the zone's changes made once (the zone
     * rules work out each year's changes and make objects on every call: a backtest asks millions of times).
     */
    static long offsetMillis(long t) {
        if (t < OFFSETS.from || t >= OFFSETS.until) {
            return LONDON.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L;
        }
        int i = Arrays.binarySearch(OFFSETS.changes, t);
        int last = i >= 0 ? i : -i - 2;
        return last < 0 ? OFFSETS.first : OFFSETS.after[last];
    }

    private static final OffsetTable OFFSETS = new OffsetTable(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));

    /** The instants London's offset changes at in [from, until), and the offset from each. */
    private static final class OffsetTable {
        final long from;
        final long until;
        final long first;
        final long[] changes;
        final long[] after;

        OffsetTable(Instant from, Instant until) {
            ZoneRules rules = LONDON.getRules();
            this.from = from.toEpochMilli();
            this.until = until.toEpochMilli();
            this.first = rules.getOffset(from).getTotalSeconds() * 1000L;
            List<ZoneOffsetTransition> transitions = new ArrayList<>();
            for (ZoneOffsetTransition tr = rules.nextTransition(from); tr != null && tr.getInstant().isBefore(until);
                 tr = rules.nextTransition(tr.getInstant())) {
                transitions.add(tr);
            }
            this.changes = transitions.stream().mapToLong(tr -> tr.getInstant().toEpochMilli()).toArray();
            this.after = transitions.stream().mapToLong(tr -> tr.getOffsetAfter().getTotalSeconds() * 1000L).toArray();
        }
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
