package org.safepath.jobs.providers;

import org.safepath.jobs.primitives.SourcedEvent;

/** Market-oversight news about a provider location after the ingest edge (no person in it). A Flink POJO. */
public class ProviderConcern extends SourcedEvent {
    public String localAuthority;
    public String providerLocationId;
    public String concernId;
    /** A {@code ProviderConcernKind} symbol. */
    public String kind;
    public boolean closed;
    /** On CQC_RATING_PUBLISHED. */
    public String cqcRating;

    public ProviderConcern() {
    }

}
