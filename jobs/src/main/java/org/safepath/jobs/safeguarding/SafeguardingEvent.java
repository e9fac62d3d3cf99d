package org.safepath.jobs.safeguarding;

import org.safepath.events.SafeguardingEventType;
import org.safepath.jobs.primitives.SourcedEvent;

/** A safeguarding event after the ingest edge: pseudonymised, validated, with where it came from. A Flink POJO. */
public class SafeguardingEvent extends SourcedEvent {
    public String localAuthority;
    public String personRef;
    public SafeguardingEventType type;
    public String concernId;
    /** On CONCERN_RECEIVED. */
    public String typeOfRisk;
    public String locationOfRisk;
    /** On CONCERN_RECEIVED at a care or community service: its CQC location id. */
    public String cqcLocationId;
    /** On CONCERN_SCREENED. */
    public String screeningDecision;

    public SafeguardingEvent() {
    }

    @Override
    public String toString() {
        return type + " " + eventId + " concern " + concernId + " at " + java.time.Instant.ofEpochMilli(occurredAt);
    }
}
