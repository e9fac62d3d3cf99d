package org.safepath.jobs.discharge;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.safepath.events.DischargeEventType;
import org.safepath.jobs.primitives.EpisodeTracker;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by person: follows each hospital spell from admission through the Discharge Ready Date to discharge
 * or close, in event-time order, and tells the aggregators of the affected (authority, site, pathway) what
 * changed. The spell is the transition table below on the generic {@link EpisodeTracker}; the readmission rule
 * is discharge's own: an admission within {@code readmissionWindow} of a discharge is a failed discharge.
 * Forgets the person once no episode is open and the readmission window has passed.
 */
public final class DischargeEpisodeTracker extends EpisodeTracker<String, DischargeEvent, PersonEpisodes, DischargeFact> {

    private final long readmissionWindowMillis;

    public DischargeEpisodeTracker(Duration readmissionWindow) {
        this(readmissionWindow, Duration.ZERO);
    }

    /** {@code earlyWithin}: events this recent also give provisional facts before the watermark passes them. */
    public DischargeEpisodeTracker(Duration readmissionWindow, Duration earlyWithin) {
        super(TypeInformation.of(DischargeEvent.class), TypeInformation.of(PersonEpisodes.class), earlyWithin.toMillis());
        this.readmissionWindowMillis = readmissionWindow.toMillis();
    }

    @Override
    protected Map<Object, Transition<DischargeEvent, PersonEpisodes, DischargeFact>> transitions() {
        return Map.of(
                DischargeEventType.ADMITTED, this::admitted,
                DischargeEventType.DISCHARGE_READY, DischargeEpisodeTracker::ready,
                DischargeEventType.DISCHARGED, DischargeEpisodeTracker::discharged,
                DischargeEventType.EPISODE_CLOSED, DischargeEpisodeTracker::closed);
    }

    @Override
    protected Object typeOf(DischargeEvent e) {
        return e.type;
    }

    @Override
    protected PersonEpisodes emptyState() {
        return new PersonEpisodes();
    }

    /** Once no spell is open: after the readmission window of the last discharge (or at once after a close). */
    @Override
    protected Long forgetAt(PersonEpisodes p) {
        if (p.hasOpenEpisode()) {
            return null;
        }
        return p.lastDischargedAt != null ? p.lastDischargedAt + readmissionWindowMillis + 1 : p.closedAt == null ? null : p.closedAt + 1;
    }

    private static Rejection discharged(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
        if (!p.hasOpenEpisode() || p.readyAt == null || p.readyAt > e.occurredAt) {
            return new Rejection(DeadLetterReason.OUT_OF_ORDER, "Discharge before readiness: DISCHARGED at "
                    + Instant.ofEpochMilli(e.occurredAt) + " but the episode has no Discharge Ready Date on or before it");
        }
        out.collect(DischargeFact.episode(p.localAuthority, p.hospitalSite, p.pathway, p.episodeId, p.readyAt,
                e.occurredAt, true, p.delayReasonFamily, e.occurredAt));
        p.lastDischargedAt = e.occurredAt;
        p.lastDischargeLocalAuthority = p.localAuthority;
        p.lastDischargeSite = p.hospitalSite;
        p.lastDischargePathway = p.pathway;
        p.closeEpisode();
        return null;
    }

    private static Rejection closed(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
        if (!p.hasOpenEpisode()) {
            return new Rejection(DeadLetterReason.OUT_OF_ORDER,
                    "EPISODE_CLOSED at " + Instant.ofEpochMilli(e.occurredAt) + " but no episode is open");
        }
        endWithoutDischarge(p, e.occurredAt, out);
        p.closedAt = e.occurredAt;
        return null;
    }

    private Rejection admitted(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
        if (p.hasOpenEpisode()) {
            // A new admission while a spell is open (a transfer the source did not close): the old spell ends here.
            endWithoutDischarge(p, e.occurredAt, out);
        }
        if (p.lastDischargedAt != null && p.lastDischargedAt < e.occurredAt
                && e.occurredAt - p.lastDischargedAt <= readmissionWindowMillis) {
            DischargeFact r = new DischargeFact();
            r.kind = DischargeFact.Kind.READMISSION;
            r.localAuthority = p.lastDischargeLocalAuthority;
            r.hospitalSite = p.lastDischargeSite;
            r.pathway = p.lastDischargePathway;
            r.readmittedAt = e.occurredAt;
            r.readmissionEventId = e.eventId;
            r.factTime = e.occurredAt;
            out.collect(r);
        }
        p.episodeId = e.personRef + "#" + e.occurredAt;
        p.localAuthority = e.localAuthority;
        p.hospitalSite = e.hospitalSite;
        return null;
    }

    /** Readiness; a new site or pathway moves the episode from its old (site, pathway) key to the new one. */
    private static Rejection ready(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
        if (!p.hasOpenEpisode()) {
            // The admission predates the stream (or was never sent): the episode starts at readiness.
            p.episodeId = e.personRef + "#" + e.occurredAt;
        } else if (p.readyAt != null && (!e.hospitalSite.equals(p.hospitalSite) || !e.pathway.equals(p.pathway))) {
            DischargeFact moved = DischargeFact.episode(p.localAuthority, p.hospitalSite, p.pathway, p.episodeId,
                    p.readyAt, null, false, p.delayReasonFamily, e.occurredAt);
            moved.kind = DischargeFact.Kind.EPISODE_MOVED_AWAY;
            out.collect(moved);
        }
        if (p.readyAt == null) {
            p.readyAt = e.occurredAt;
        }
        p.localAuthority = e.localAuthority;
        p.hospitalSite = e.hospitalSite;
        p.pathway = e.pathway;
        p.delayReasonFamily = e.delayReasonFamily;
        out.collect(DischargeFact.episode(p.localAuthority, p.hospitalSite, p.pathway, p.episodeId, p.readyAt, null,
                false, p.delayReasonFamily, e.occurredAt));
        return null;
    }

    private static void endWithoutDischarge(PersonEpisodes p, long at, Collector<DischargeFact> out) {
        if (p.readyAt != null) {
            out.collect(DischargeFact.episode(p.localAuthority, p.hospitalSite, p.pathway, p.episodeId, p.readyAt, at,
                    false, p.delayReasonFamily, at));
        }
        p.closeEpisode();
    }
}
