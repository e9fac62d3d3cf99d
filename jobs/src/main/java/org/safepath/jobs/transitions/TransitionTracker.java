package org.safepath.jobs.transitions;

import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.LondonCalendar;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * Keyed by person (pseudonym): a young person identified by children's services (TRANSITION_IDENTIFIED, with the
 * birth month), and the first adult request and first completed adult assessment about the same person, whatever
 * order they arrive in. While identified, each change is told to the authority's transitions row. At the cliff
 * edge (the 18th birthday, or the identification if later, while still under 26) with no completed adult
 * assessment, the transitions team that identified them is alerted; the watermark decides.
 *
 * <p>A request or assessment about someone not (yet) identified is remembered for {@link #REMEMBER_UNIDENTIFIED}, in
 * case the identification follows; an identified young person is forgotten the allowed lateness after they turn 26.
 */
public final class TransitionTracker extends KeyedProcessFunction<String, CareJourneyEvent, TransitionFact> {

    public static final String RULE = "transitions.no_assessment_at_18";
    public static final String AUDIENCE = "transitions_team";
    static final Duration REMEMBER_UNIDENTIFIED = Duration.ofDays(2 * 365);

    private final double cliffAge;
    private final double maxAge;
    private final long allowedLatenessMillis;
    private transient ValueState<YoungPerson> person;

    /** What is known about the person. A Flink POJO. */
    public static class YoungPerson {
        public TransitionFact known;
        public String team;
        public String requestEventId;
        public long lastEventAt;
        public boolean alerted;

        public YoungPerson() {
        }
    }

    public TransitionTracker(IndicatorCatalogue catalogue, Duration allowedLateness) {
        this.cliffAge = catalogue.get("transitions.no_assessment_at_18").parameter("age");
        this.maxAge = catalogue.get("transitions.tracked").parameter("max_age");
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    public static boolean isTransitionEvent(CareJourneyEvent e) {
        return e.type == CareJourneyEventType.TRANSITION_IDENTIFIED || e.type == CareJourneyEventType.REQUEST_RECEIVED
                || e.type == CareJourneyEventType.ASSESSMENT_COMPLETED;
    }

    @Override
    public void open(OpenContext context) {
        person = getRuntimeContext().getState(new ValueStateDescriptor<>("young-person", YoungPerson.class));
    }

    @Override
    public void processElement(CareJourneyEvent e, Context ctx, Collector<TransitionFact> out) throws Exception {
        YoungPerson p = person.value();
        if (p == null) {
            p = new YoungPerson();
            p.known = new TransitionFact();
        }
        TransitionFact k = p.known;
        boolean wasIdentified = k.identifiedEventId != null;
        switch (e.type) {
            case TRANSITION_IDENTIFIED -> {
                if (k.identifiedEventId == null || e.occurredAt < k.identifiedAt) {
                    k.identifiedEventId = e.eventId;
                    k.identifiedAt = e.occurredAt;
                    k.localAuthority = e.localAuthority;
                    k.birthYear = e.birthYear;
                    k.birthMonth = e.birthMonth;
                    p.team = e.team;
                }
            }
            case REQUEST_RECEIVED -> {
                if (k.requestAt == null || e.occurredAt < k.requestAt) {
                    k.requestAt = e.occurredAt;
                    p.requestEventId = e.eventId;
                }
            }
            case ASSESSMENT_COMPLETED -> {
                if (k.assessedAt == null || e.occurredAt < k.assessedAt) {
                    k.assessedAt = e.occurredAt;
                }
            }
            default -> throw new IllegalArgumentException("Not a transitions event: " + e.type);
        }
        p.lastEventAt = Math.max(p.lastEventAt, e.occurredAt);
        if (k.identifiedEventId != null) {
            k.factTime = e.occurredAt;
            TransitionFact told = copy(k);
            out.collect(told);
            if (!wasIdentified || e.type == CareJourneyEventType.TRANSITION_IDENTIFIED) {
                ctx.timerService().registerEventTimeTimer(cliff(k));
            }
            ctx.timerService().registerEventTimeTimer(k.reaches(maxAge + 1) + allowedLatenessMillis);
        } else {
            ctx.timerService().registerEventTimeTimer(p.lastEventAt + REMEMBER_UNIDENTIFIED.toMillis());
        }
        person.update(p);
    }

    /** The cliff edge: the 18th birthday, or the identification if it came later. */
    long cliff(TransitionFact k) {
        return Math.max(k.reaches(cliffAge), k.identifiedAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TransitionFact> out) throws Exception {
        YoungPerson p = person.value();
        if (p == null) {
            return;
        }
        TransitionFact k = p.known;
        if (k.identifiedEventId == null) {
            if (timestamp >= p.lastEventAt + REMEMBER_UNIDENTIFIED.toMillis()) {
                person.clear();
            }
            return;
        }
        long cliff = cliff(k);
        if (!p.alerted && timestamp >= cliff && cliff < k.reaches(maxAge + 1) && (k.assessedAt == null || k.assessedAt > cliff)) {
            p.alerted = true;
            person.update(p);
            ctx.output(org.safepath.jobs.primitives.LiveIndicatorAggregator.ALERTS, alert(k, p, cliff));
        }
        if (timestamp >= k.reaches(maxAge + 1) + allowedLatenessMillis) {
            person.clear();
        }
    }

    private static AlertCandidate alert(TransitionFact k, YoungPerson p, long cliff) {
        AlertCandidate a = new AlertCandidate();
        a.rule = RULE;
        a.severity = "HIGH";
        a.subjectKind = "transition";
        a.subjectId = k.identifiedEventId;
        a.audience = AUDIENCE;
        a.recipient = p.team;
        a.evidenceCount = 1;
        a.evidenceDetails.put("local_authority", k.localAuthority);
        a.evidenceDetails.put("reached_18_on", LondonCalendar.day(k.reaches(18)).toString());
        a.evidenceDetails.put("identified_on", LondonCalendar.day(k.identifiedAt).toString());
        a.evidenceDetails.put("adult_request", k.requestAt != null && k.requestAt <= cliff
                ? "received " + LondonCalendar.day(k.requestAt) : "none received");
        a.evidenceEventIds.add(k.identifiedEventId);
        if (k.requestAt != null && k.requestAt <= cliff) {
            a.evidenceEventIds.add(p.requestEventId);
        }
        a.raisedAt = cliff;
        return a;
    }

    private static TransitionFact copy(TransitionFact k) {
        TransitionFact f = new TransitionFact();
        f.localAuthority = k.localAuthority;
        f.identifiedEventId = k.identifiedEventId;
        f.identifiedAt = k.identifiedAt;
        f.birthYear = k.birthYear;
        f.birthMonth = k.birthMonth;
        f.requestAt = k.requestAt;
        f.assessedAt = k.assessedAt;
        f.factTime = k.factTime;
        return f;
    }
}
