package org.safepath.jobs.discharge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.jobs.primitives.EventTimeOrderedFunction;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by person: follows each hospital spell from admission through the Discharge Ready Date to discharge
 * or close, in event-time order, and tells the aggregators of the affected (authority, site, pathway) what
 * changed. Spots failed discharges: an admission within {@code readmissionWindow} of a discharge.
 * Forgets the person once no episode is open and the readmission window has passed.
 */
public final class DischargeEpisodeTracker extends EventTimeOrderedFunction<String, DischargeEvent, DischargeFact> {

    private final long readmissionWindowMillis;
    private transient ValueState<PersonEpisodes> person;

    public DischargeEpisodeTracker(Duration readmissionWindow) {
        this(readmissionWindow, Duration.ZERO);
    }

    /** {@code earlyWithin}: events this recent also give provisional facts before the watermark passes them. */
    public DischargeEpisodeTracker(Duration readmissionWindow, Duration earlyWithin) {
        super(TypeInformation.of(DischargeEvent.class), earlyWithin.toMillis());
        this.readmissionWindowMillis = readmissionWindow.toMillis();
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", PersonEpisodes.class));
    }

    /** Why an event cannot be applied to the person's spell as it stands. */
    private record Rejection(DeadLetterReason reason, String detail) {
    }

    @Override
    protected void onEvent(DischargeEvent e, Context ctx, Collector<DischargeFact> out) throws Exception {
        PersonEpisodes p = person.value();
        if (p == null) {
            p = new PersonEpisodes();
        }
        Rejection rejected = apply(e, p, out);
        if (rejected != null) {
            ctx.output(DeadLetters.TAG, e.deadLetter(rejected.reason(), rejected.detail()));
            return;
        }
        switch (e.type) {
            case DISCHARGED -> ctx.timerService().registerEventTimeTimer(e.occurredAt + readmissionWindowMillis + 1);
            case EPISODE_CLOSED -> ctx.timerService().registerEventTimeTimer(e.occurredAt + 1);
            default -> {
            }
        }
        person.update(p);
    }

    /**
     * Provisional facts for the events still waiting for the watermark, applied in event-time order to a copy of
     * the person: the indicators show a new readiness or discharge within a second. An event that cannot be
     * applied yet is left out here and judged when the watermark passes it.
     */
    @Override
    protected void onEarly(List<DischargeEvent> waiting, Context ctx, Collector<DischargeFact> out) throws Exception {
        PersonEpisodes p = person.value() == null ? new PersonEpisodes() : person.value().copy();
        Collector<DischargeFact> provisional = new Collector<>() {
            @Override
            public void collect(DischargeFact fact) {
                fact.provisional = true;
                out.collect(fact);
            }

            @Override
            public void close() {
            }
        };
        for (DischargeEvent e : waiting) {
            apply(e, p, provisional);
        }
    }

    /** Applies one event to the person's hospital state and emits what changed; or says why it cannot be applied. */
    private Rejection apply(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
        switch (e.type) {
            case ADMITTED -> admitted(e, p, out);
            case DISCHARGE_READY -> ready(e, p, out);
            case DISCHARGED -> {
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
            }
            case EPISODE_CLOSED -> {
                if (!p.hasOpenEpisode()) {
                    return new Rejection(DeadLetterReason.OUT_OF_ORDER,
                            "EPISODE_CLOSED at " + Instant.ofEpochMilli(e.occurredAt) + " but no episode is open");
                }
                endWithoutDischarge(p, e.occurredAt, out);
            }
            default -> {
                return new Rejection(DeadLetterReason.UNKNOWN_CODE, "event_type " + e.type);
            }
        }
        return null;
    }

    private void admitted(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
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
    }

    private void ready(DischargeEvent e, PersonEpisodes p, Collector<DischargeFact> out) {
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
    }

    private static void endWithoutDischarge(PersonEpisodes p, long at, Collector<DischargeFact> out) {
        if (p.readyAt != null) {
            out.collect(DischargeFact.episode(p.localAuthority, p.hospitalSite, p.pathway, p.episodeId, p.readyAt, at,
                    false, p.delayReasonFamily, at));
        }
        p.closeEpisode();
    }

    @Override
    protected void onTime(long timestamp, OnTimerContext ctx, Collector<DischargeFact> out) throws Exception {
        PersonEpisodes p = person.value();
        if (p == null || p.hasOpenEpisode()) {
            return;
        }
        boolean readmissionWindowOver = p.lastDischargedAt == null || timestamp > p.lastDischargedAt + readmissionWindowMillis;
        if (readmissionWindowOver) {
            person.clear();
        }
    }
}
