package org.safepath.jobs.waiting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.Timelines;

/**
 * Keyed by person (pseudonym): the waiting-well escalation of INDICATORS.md. A person with an open wait who, after
 * joining the list, becomes the subject of a safeguarding concern or has a hospital discharge-ready event raises an
 * alert to the team that holds the wait: the wait's age and priority as of the incident, and what happened, never
 * who the person is (the subject is the council's wait id, which the team looks up in its own system).
 *
 * <p>Decided in event time: an incident is judged when the watermark passes it, against the person's waits as then
 * known (added strictly before the incident, not removed by it), so a concern that occurred before the person joined
 * the list raises nothing, whatever order the events arrive in. A wait added late (behind the watermark) is judged
 * against the incidents of the allowed lateness before it. Incidents are kept for the allowed lateness, waits
 * until the allowed lateness after their removal.
 */
public final class WaitingWellCheck extends KeyedProcessFunction<String, PersonMoment, AlertCandidate> {

    public static final String RULE = "waiting.waiting_well";
    public static final String AUDIENCE = "team_manager";
    static final long DAY = 86_400_000L;

    private final long allowedLatenessMillis;
    private transient ValueState<Person> person;

    /** A wait of the person's, as known so far. A Flink POJO. */
    public static class Wait {
        public Long addedAt;
        public String addedEventId;
        public String localAuthority;
        public String team;
        public String waitingFor;
        public List<Long> prioritySince = new ArrayList<>();
        public List<String> priorities = new ArrayList<>();
        public Long removedAt;
        /** Incidents already raised against this wait: its escalation count. */
        public int raised;

        public Wait() {
        }

        boolean openAt(long t) {
            return addedAt != null && addedAt < t && (removedAt == null || removedAt > t);
        }

        String priorityAt(long t) {
            return Timelines.at(prioritySince, priorities, t);
        }
    }

    /** The person's waits and recent incidents. A Flink POJO. */
    public static class Person {
        public Map<String, Wait> waits = new HashMap<>();
        public Map<String, PersonMoment> incidents = new HashMap<>();
        /** Incident ids the watermark has passed. */
        public Set<String> decided = new HashSet<>();
        /** "incident id|wait id" pairs already raised. */
        public Set<String> raised = new HashSet<>();

        public Person() {
        }
    }

    public WaitingWellCheck(Duration allowedLateness) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", Person.class));
    }

    @Override
    public void processElement(PersonMoment m, Context ctx, Collector<AlertCandidate> out) throws Exception {
        Person p = person.value();
        if (p == null) {
            p = new Person();
        }
        long watermark = ctx.timerService().currentWatermark();
        if (m.isIncident()) {
            if (p.incidents.containsKey(m.incidentId)) {
                return; // the same concern or readiness heard again
            }
            p.incidents.put(m.incidentId, m);
            if (m.at <= watermark) {
                decide(m, p, out);
            } else {
                ctx.timerService().registerEventTimeTimer(m.at);
            }
            ctx.timerService().registerEventTimeTimer(m.at + allowedLatenessMillis);
        } else {
            Wait w = p.waits.computeIfAbsent(m.waitId, id -> new Wait());
            apply(m, w);
            if (m.kind == PersonMoment.Kind.WAIT_ADDED && m.at <= watermark) {
                // Added behind the watermark: incidents already judged after it are judged again against it.
                for (PersonMoment i : p.incidents.values()) {
                    if (p.decided.contains(i.incidentId)) {
                        raise(i, m.waitId, w, p, out);
                    }
                }
            }
            if (w.removedAt != null) {
                ctx.timerService().registerEventTimeTimer(w.removedAt + allowedLatenessMillis);
            }
        }
        person.update(p);
    }

    private static void apply(PersonMoment m, Wait w) {
        switch (m.kind) {
            case WAIT_ADDED -> {
                if (w.addedAt == null || m.at < w.addedAt) {
                    w.addedAt = m.at;
                    w.addedEventId = m.eventId;
                    w.localAuthority = m.localAuthority;
                    w.team = m.team;
                    w.waitingFor = m.waitingFor;
                }
                Timelines.put(w.prioritySince, w.priorities, m.at, m.priority);
            }
            case PRIORITY_CHANGED -> Timelines.put(w.prioritySince, w.priorities, m.at, m.priority);
            case WAIT_REMOVED -> w.removedAt = w.removedAt == null ? m.at : Math.min(w.removedAt, m.at);
            default -> throw new IllegalArgumentException("Not a wait's moment: " + m.kind);
        }
    }

    /** The watermark has passed the incident: every wait open at its instant raises, each once. */
    private void decide(PersonMoment incident, Person p, Collector<AlertCandidate> out) {
        p.decided.add(incident.incidentId);
        List<String> waitIds = new ArrayList<>(p.waits.keySet());
        java.util.Collections.sort(waitIds);
        for (String waitId : waitIds) {
            raise(incident, waitId, p.waits.get(waitId), p, out);
        }
    }

    private static void raise(PersonMoment incident, String waitId, Wait w, Person p, Collector<AlertCandidate> out) {
        if (!w.openAt(incident.at) || !p.raised.add(incident.incidentId + '|' + waitId)) {
            return;
        }
        w.raised++;
        AlertCandidate a = new AlertCandidate();
        a.rule = RULE;
        a.severity = "HIGH";
        a.subjectKind = "wait";
        a.subjectId = waitId;
        a.audience = AUDIENCE;
        a.recipient = w.team;
        a.evidenceCount = w.raised;
        a.evidenceCounts.put("days_waited", (incident.at - w.addedAt) / DAY);
        a.evidenceDetails.put("what_happened", incident.kind.name());
        if (incident.detail != null) {
            a.evidenceDetails.put(incident.detailName, incident.detail);
        }
        a.evidenceDetails.put("priority", w.priorityAt(incident.at));
        a.evidenceDetails.put("waiting_for", w.waitingFor);
        a.evidenceDetails.put("local_authority", w.localAuthority);
        a.evidenceEventIds.add(w.addedEventId);
        a.evidenceEventIds.add(incident.eventId);
        a.raisedAt = incident.at;
        out.collect(a);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        Person p = person.value();
        if (p == null) {
            return;
        }
        List<PersonMoment> due = new ArrayList<>();
        for (PersonMoment i : p.incidents.values()) {
            if (i.at <= timestamp && !p.decided.contains(i.incidentId)) {
                due.add(i);
            }
        }
        due.sort(java.util.Comparator.comparingLong((PersonMoment i) -> i.at).thenComparing(i -> i.incidentId));
        for (PersonMoment i : due) {
            decide(i, p, out);
        }
        // Forget what no late event can need any more.
        p.incidents.values().removeIf(i -> {
            boolean old = p.decided.contains(i.incidentId) && i.at + allowedLatenessMillis <= timestamp;
            if (old) {
                p.decided.remove(i.incidentId);
                p.raised.removeIf(pair -> pair.startsWith(i.incidentId + '|'));
            }
            return old;
        });
        p.waits.values().removeIf(w -> w.removedAt != null && w.removedAt + allowedLatenessMillis <= timestamp);
        if (p.incidents.isEmpty() && p.waits.isEmpty()) {
            person.clear();
        } else {
            person.update(p);
        }
    }
}
