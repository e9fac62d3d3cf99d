package org.safepath.jobs.transitions;

import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.LondonCalendar;
import org.safepath.jobs.primitives.TimedFact;

/**
 * A young person in transition as now known, told to their authority's row: when they were identified, their birth
 * month, and when their first adult request and first completed adult assessment occurred (null: none yet). The
 * identification's event id stands for them; nothing identifies the person. A Flink POJO.
 */
public class TransitionFact extends TimedFact {
    public String localAuthority;
    public String identifiedEventId;
    public long identifiedAt;
    public int birthYear;
    public int birthMonth;
    public Long requestAt;
    public Long assessedAt;

    public TransitionFact() {
    }

    @Override
    public DimensionKey key() {
        return DimensionKey.of("local_authority", localAuthority);
    }

    @Override
    public String identity() {
        return "transition " + identifiedEventId;
    }

    /** The instant the young person reaches an age given in years with a fraction (17.5: 17 years and 6 months). */
    public long reaches(double age) {
        int years = (int) Math.floor(age);
        int months = (int) Math.round((age - years) * 12);
        return LondonCalendar.ageReachedAt(birthYear, birthMonth, years, months);
    }
}
