package org.safepath.jobs.journeys;

import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.primitives.SourcedEvent;

/**
 * A care-journey event after the ingest edge (requests, waits, assessments, services, transitions): pseudonymised,
 * validated, with where it came from. The waiting-list, transitions and placements domains read it. A Flink POJO.
 */
public class CareJourneyEvent extends SourcedEvent {
    public String localAuthority;
    public String personRef;
    public CareJourneyEventType type;
    /** The team that holds the case or the wait. */
    public String team;
    /** On waiting-list events. */
    public String waitId;
    public String waitingFor;
    public String priority;
    /** On TRANSITION_IDENTIFIED. */
    public Integer birthYear;
    public Integer birthMonth;
    /** On SERVICE_STARTED / SERVICE_ENDED at a provider: its CQC location and the authority it is in. */
    public String providerLocationId;
    public String providerLocalAuthority;

    public CareJourneyEvent() {
    }

    @Override
    public String toString() {
        return type + " " + eventId + " at " + java.time.Instant.ofEpochMilli(occurredAt) + (waitId != null ? " wait " + waitId : "");
    }
}
