package org.safepath.jobs.primitives;

/** What a domain's tracker tells a {@link LiveIndicatorAggregator}: which key it changes, and when. */
public interface IndicatorFact {

    /** The dimension key whose values this fact changes. */
    DimensionKey key();

    /** The event time of the event that produced the fact. */
    long factTime();

    /** Derived from events the watermark has not passed yet: shown early, replaced by the exact fact. */
    boolean provisional();

    /** What a later provisional fact about the same thing replaces (e.g. "episode e1"). */
    String identity();
}
