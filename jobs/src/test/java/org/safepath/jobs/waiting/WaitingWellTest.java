package org.safepath.jobs.waiting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.jobs.primitives.AlertCandidate;

/** A team manager's question: has anyone on our list come to harm, or into hospital, since they joined it? */
class WaitingWellTest {

    static final long SECOND = 1000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long ADDED = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final String PERSON = "pseudonym-1";
    static int nextId;

    static PersonMoment moment(PersonMoment.Kind kind, long at) {
        PersonMoment m = new PersonMoment();
        m.kind = kind;
        m.personRef = PERSON;
        m.at = at;
        m.eventId = "ev-" + (++nextId);
        m.localAuthority = "E06000054";
        return m;
    }

    static PersonMoment waitAdded(long at, String priority) {
        PersonMoment m = moment(PersonMoment.Kind.WAIT_ADDED, at);
        m.waitId = "W-100";
        m.team = "North Locality";
        m.waitingFor = "FIRST_ASSESSMENT";
        m.priority = priority;
        return m;
    }

    static PersonMoment concern(long at, String concernId) {
        PersonMoment m = moment(PersonMoment.Kind.SAFEGUARDING_CONCERN, at);
        m.incidentId = "safeguarding concern " + concernId;
        m.detailName = "type_of_risk";
        m.detail = "NEGLECT_AND_ACTS_OF_OMISSION";
        return m;
    }

    static PersonMoment ready(long at) {
        PersonMoment m = moment(PersonMoment.Kind.DISCHARGE_READY, at);
        m.incidentId = "discharge ready " + m.eventId;
        m.detailName = "hospital_site";
        m.detail = "RNZ02";
        return m;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, PersonMoment, AlertCandidate> check() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WaitingWellCheck(Duration.ofDays(7))),
                (PersonMoment m) -> m.personRef, Types.STRING);
        h.open();
        return h;
    }

    static void send(KeyedOneInputStreamOperatorTestHarness<String, PersonMoment, AlertCandidate> h, PersonMoment m) throws Exception {
        h.processElement(new StreamRecord<>(m, m.at));
    }

    @Test
    void aConcernOneSecondBeforeTheWaitWasAddedRaisesNothingEvenArrivingAfterIt() throws Exception {
        var h = check();
        send(h, waitAdded(ADDED, "HIGH"));
        send(h, concern(ADDED - SECOND, "c-before"));
        h.processWatermark(ADDED + DAY);
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    @Test
    void aHospitalAdmissionTenDaysIntoTheWaitAlertsTheTeamThatHoldsItWithTheWaitsAgeAndPriority() throws Exception {
        var h = check();
        PersonMoment readyAt = ready(ADDED + 10 * DAY + 2 * HOUR);
        send(h, readyAt);                       // arrives first,
        PersonMoment added = waitAdded(ADDED, "MEDIUM");
        send(h, added);                         // but the wait began before it
        h.processWatermark(ADDED + 11 * DAY);
        List<AlertCandidate> alerts = h.extractOutputValues();
        assertThat(alerts).hasSize(1);
        AlertCandidate a = alerts.get(0);
        assertThat(a.rule).isEqualTo("waiting.waiting_well");
        assertThat(a.subjectKind).isEqualTo("wait");
        assertThat(a.subjectId).isEqualTo("W-100");
        assertThat(a.audience).isEqualTo("team_manager");
        assertThat(a.recipient).isEqualTo("North Locality");
        assertThat(a.raisedAt).isEqualTo(readyAt.at);
        assertThat(a.evidenceCounts).containsEntry("days_waited", 10L);
        assertThat(a.evidenceDetails).containsEntry("priority", "MEDIUM").containsEntry("what_happened", "DISCHARGE_READY")
                .containsEntry("hospital_site", "RNZ02");
        assertThat(a.evidenceEventIds).containsExactly(added.eventId, readyAt.eventId);
        assertThat(a.toString() + a.evidenceDetails + a.evidenceCounts).doesNotContain(PERSON);
        h.close();
    }

    @Test
    void aWaitRecordedLateStillMeetsTheConcernAfterItAndTheSameConcernHeardTwiceAlertsOnce() throws Exception {
        var h = check();
        send(h, concern(ADDED + 3 * DAY, "c1"));
        send(h, concern(ADDED + 3 * DAY, "c1"));
        h.processWatermark(ADDED + 4 * DAY);
        assertThat(h.extractOutputValues()).as("no wait known yet").isEmpty();
        send(h, waitAdded(ADDED, "LOW"));       // behind the watermark, within the lateness
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(h.extractOutputValues().get(0).evidenceCounts).containsEntry("days_waited", 3L);
        h.close();
    }

    @Test
    void nothingAfterTheWaitIsRemovedAndThePersonIsForgottenOnceTheLatenessHasPassed() throws Exception {
        var h = check();
        send(h, waitAdded(ADDED, "HIGH"));
        PersonMoment removed = moment(PersonMoment.Kind.WAIT_REMOVED, ADDED + 20 * DAY);
        removed.waitId = "W-100";
        send(h, removed);
        send(h, concern(ADDED + 20 * DAY, "c-at-removal"));
        send(h, concern(ADDED + 25 * DAY, "c-after"));
        h.processWatermark(ADDED + 33 * DAY);
        assertThat(h.extractOutputValues()).as("a wait removed at the concern's instant was not open then").isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
