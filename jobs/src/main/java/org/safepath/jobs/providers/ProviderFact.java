package org.safepath.jobs.providers;

import org.safepath.jobs.primitives.DimensionKey;

/**
 * What the provider aggregator of one location hears: its reference data (as of the record's {@code updated_at}),
 * a concern or notice opened or closed, a CQC rating published, or a safeguarding concern received there. A Flink POJO.
 */
public class ProviderFact extends org.safepath.jobs.primitives.TimedFact {

    public enum Kind { REFERENCE, CONCERN, SAFEGUARDING }

    public Kind kind;
    public String providerLocationId;
    /** The authority the location is in (reference data), or the reporting council's where no reference is known. */
    public String localAuthority;
    /** REFERENCE. */
    public int beds;
    public String cqcOverall;
    public String pammsRating;
    public int careStaff;
    public int sponsoredWorkers;
    /** CONCERN: a {@code ProviderConcernKind} symbol, its id, closed or not; a published rating. SAFEGUARDING: the concern id. */
    public String concernKind;
    public String concernId;
    public boolean closed;
    public String cqcRating;
    public String eventId;

    public ProviderFact() {
    }

    @Override
    public DimensionKey key() {
        return DimensionKey.of("provider_location_id", providerLocationId);
    }

    @Override
    public String identity() {
        return kind + " " + (concernId != null ? concernId : factTime);
    }
}
