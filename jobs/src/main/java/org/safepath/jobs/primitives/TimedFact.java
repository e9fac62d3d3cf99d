package org.safepath.jobs.primitives;

/** The part of an {@link IndicatorFact} every domain's fact shares: its event time and whether it is provisional. */
public abstract class TimedFact implements IndicatorFact {
    /** The event time of the event that produced the fact. */
    public long factTime;
    /** Derived from events the watermark has not passed yet: shown early, replaced by the exact fact. */
    public boolean provisional;

    @Override
    public long factTime() {
        return factTime;
    }

    @Override
    public boolean provisional() {
        return provisional;
    }
}
