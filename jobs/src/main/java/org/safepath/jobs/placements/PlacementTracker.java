package org.safepath.jobs.placements;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.primitives.EpisodeTracker;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by person (pseudonym): their services at providers, from SERVICE_STARTED to SERVICE_ENDED at the same CQC
 * location, in event-time order on the generic {@link EpisodeTracker}. A second start where a service is already
 * open changes nothing; an end with no service open there is dead-lettered as OUT_OF_ORDER. The person is forgotten
 * the allowed lateness after their last service there ended.
 */
public final class PlacementTracker extends EpisodeTracker<String, CareJourneyEvent, PlacementTracker.Services, PlacementFact> {

    /** The person's open services by provider location, and when the last one ended. A Flink POJO. */
    public static class Services {
        public Map<String, PlacementFact> open = new HashMap<>();
        public Long lastEndedAt;

        public Services() {
        }
    }

    private final long allowedLatenessMillis;

    public PlacementTracker(Duration allowedLateness, Duration earlyWithin) {
        super(TypeInformation.of(CareJourneyEvent.class), TypeInformation.of(Services.class), earlyWithin.toMillis());
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    /** A service start or end at a named provider: what placements are made of. */
    public static boolean isPlacementEvent(CareJourneyEvent e) {
        return (e.type == CareJourneyEventType.SERVICE_STARTED || e.type == CareJourneyEventType.SERVICE_ENDED)
                && e.providerLocationId != null;
    }

    @Override
    protected Map<Object, Transition<CareJourneyEvent, Services, PlacementFact>> transitions() {
        return Map.of(CareJourneyEventType.SERVICE_STARTED, PlacementTracker::started,
                CareJourneyEventType.SERVICE_ENDED, PlacementTracker::ended);
    }

    @Override
    protected Object typeOf(CareJourneyEvent e) {
        return e.type;
    }

    @Override
    protected Services emptyState() {
        return new Services();
    }

    @Override
    protected Long forgetAt(Services s) {
        return s.open.isEmpty() && s.lastEndedAt != null ? s.lastEndedAt + allowedLatenessMillis + 1 : null;
    }

    private static Rejection started(CareJourneyEvent e, Services s, Collector<PlacementFact> out) {
        if (s.open.containsKey(e.providerLocationId)) {
            return null; // still placed there: a second service at the same provider changes nothing
        }
        PlacementFact f = new PlacementFact();
        f.localAuthority = e.localAuthority;
        f.hostLocalAuthority = e.providerLocalAuthority;
        f.providerLocationId = e.providerLocationId;
        f.personRef = e.personRef;
        f.team = e.team;
        f.startEventId = e.eventId;
        f.startedAt = e.occurredAt;
        f.factTime = e.occurredAt;
        s.open.put(e.providerLocationId, f);
        out.collect(f.copy());
        return null;
    }

    private static Rejection ended(CareJourneyEvent e, Services s, Collector<PlacementFact> out) {
        PlacementFact f = s.open.remove(e.providerLocationId);
        if (f == null) {
            return new Rejection(DeadLetterReason.OUT_OF_ORDER, "SERVICE_ENDED at " + Instant.ofEpochMilli(e.occurredAt)
                    + " but no service was open at provider " + e.providerLocationId);
        }
        f.endedAt = e.occurredAt;
        f.factTime = e.occurredAt;
        s.lastEndedAt = s.lastEndedAt == null ? e.occurredAt : Math.max(s.lastEndedAt, e.occurredAt);
        out.collect(f.copy());
        return null;
    }
}
