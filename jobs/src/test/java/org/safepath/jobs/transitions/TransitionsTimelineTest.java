package org.safepath.jobs.transitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.primitives.AggregatorHarness;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.schemas.IndicatorCatalogue;

/** The transitions team's cliff edge: birthdays on London's calendar, across the October clock change. */
class TransitionsTimelineTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long IDENTIFIED = Instant.parse("2026-01-12T10:00:00Z").toEpochMilli();
    static int nextId;

    static CareJourneyEvent event(String person, CareJourneyEventType type, long at) {
        CareJourneyEvent e = new CareJourneyEvent();
        e.eventId = "cj-" + (++nextId);
        e.occurredAt = at;
        e.localAuthority = "E06000054";
        e.personRef = person;
        e.type = type;
        e.team = "Transitions Team";
        e.sourceTopic = "safepath.care-journey";
        return e;
    }

    static CareJourneyEvent identified(String person, int birthYear, int birthMonth) {
        CareJourneyEvent e = event(person, CareJourneyEventType.TRANSITION_IDENTIFIED, IDENTIFIED);
        e.birthYear = birthYear;
        e.birthMonth = birthMonth;
        return e;
    }

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    /** The tracker over the events; its facts and its alerts once the watermark reaches {@code until}. */
    record Tracked(List<TransitionFact> facts, List<AlertCandidate> alerts, int state, int timers) {
    }

    static Tracked track(long until, CareJourneyEvent... events) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new TransitionTracker(IndicatorCatalogue.defaults(), Duration.ofDays(7))), (CareJourneyEvent e) -> e.personRef, Types.STRING);
        h.open();
        for (CareJourneyEvent e : events) {
            h.processElement(new StreamRecord<>(e, e.occurredAt));
        }
        h.processWatermark(until);
        List<AlertCandidate> alerts = new ArrayList<>();
        if (h.getSideOutput(LiveIndicatorAggregator.ALERTS) != null) {
            h.getSideOutput(LiveIndicatorAggregator.ALERTS).forEach(r -> alerts.add(r.getValue()));
        }
        Tracked t = new Tracked(new ArrayList<>(h.extractOutputValues()), alerts, h.numKeyedStateEntries(), h.numEventTimeTimers());
        h.close();
        return t;
    }

    @Test
    void eighteenthBirthdaysEitherSideOfTheOctoberClockChangeAreLondonMidnights() throws Exception {
        // Born October 2008: 18 at 00:00 BST on 1 October 2026, which is 23:00 UTC on 30 September.
        // Born November 2008: 18 at 00:00 GMT on 1 November 2026 (the clocks went back on 25 October), 00:00 UTC.
        long octoberEighteen = at("2026-09-30T23:00:00Z");
        long novemberEighteen = at("2026-11-01T00:00:00Z");
        Tracked t = track(at("2026-11-02T00:00:00Z"),
                identified("october", 2008, 10), identified("november", 2008, 11), identified("assessed", 2008, 10),
                event("assessed", CareJourneyEventType.ASSESSMENT_COMPLETED, at("2026-09-01T10:00:00Z")));

        assertThat(t.alerts()).extracting(a -> a.raisedAt).containsExactlyInAnyOrder(octoberEighteen, novemberEighteen);
        AlertCandidate a = t.alerts().stream().filter(x -> x.raisedAt == novemberEighteen).findFirst().orElseThrow();
        assertThat(a.rule).isEqualTo("transitions.no_assessment_at_18");
        assertThat(a.audience).isEqualTo("transitions_team");
        assertThat(a.recipient).isEqualTo("Transitions Team");
        assertThat(a.subjectKind).isEqualTo("transition");
        assertThat(a.evidenceDetails).containsEntry("reached_18_on", "2026-11-01").containsEntry("adult_request", "none received");
        assertThat(a.subjectId + a.evidenceDetails + a.evidenceEventIds).doesNotContain("november");

        try (var h = AggregatorHarness.of(new TransitionsModel(IndicatorCatalogue.defaults()), TransitionFact.class)) {
            h.send(t.facts()).watermark(at("2026-11-02T00:00:00Z"));
            assertThat(h.current("transitions.tracked", IDENTIFIED)).isEqualTo(3.0);
            assertThat(h.current("transitions.no_assessment_at_18", octoberEighteen - HOUR)).isEqualTo(0.0);
            assertThat(h.current("transitions.no_assessment_at_18", octoberEighteen)).isEqualTo(1.0);
            assertThat(h.current("transitions.no_assessment_at_18", novemberEighteen - HOUR)).as("23:00 GMT on 31 October: still 17").isEqualTo(1.0);
            assertThat(h.current("transitions.no_assessment_at_18", novemberEighteen)).isEqualTo(2.0);
        }
    }

    @Test
    void atSeventeenAndAHalfWithNoAdultRequestUntilOneArrives() throws Exception {
        // Born May 2009: 17.5 at 00:00 GMT on 1 November 2026.
        long halfYear = at("2026-11-01T00:00:00Z");
        long requested = at("2026-11-15T14:00:00Z");
        Tracked t = track(at("2026-11-16T00:00:00Z"), identified("may", 2009, 5),
                event("may", CareJourneyEventType.REQUEST_RECEIVED, requested));
        assertThat(t.alerts()).isEmpty();
        try (var h = AggregatorHarness.of(new TransitionsModel(IndicatorCatalogue.defaults()), TransitionFact.class)) {
            h.send(t.facts()).watermark(at("2026-11-16T00:00:00Z"));
            assertThat(h.current("transitions.no_adult_request_at_17_5", halfYear - HOUR)).isEqualTo(0.0);
            assertThat(h.current("transitions.no_adult_request_at_17_5", halfYear)).isEqualTo(1.0);
            assertThat(h.current("transitions.no_adult_request_at_17_5", requested)).isEqualTo(0.0);
        }
    }

    @Test
    void aYoungPersonIsTrackedUntilTheir26thBirthdayAndThenForgotten() throws Exception {
        // Born March 2001: 25 in March 2026, 26 at 00:00 GMT on 1 March 2027.
        long twentySix = at("2027-03-01T00:00:00Z");
        Tracked during = track(twentySix - DAY, identified("older", 2001, 3));
        assertThat(during.alerts()).as("identified after 18 and still under 26: the cliff edge is the identification")
                .extracting(a -> a.raisedAt).containsExactly(IDENTIFIED);
        try (var h = AggregatorHarness.of(new TransitionsModel(IndicatorCatalogue.defaults()), TransitionFact.class)) {
            h.send(during.facts()).watermark(twentySix + 8 * DAY);
            assertThat(h.current("transitions.tracked", IDENTIFIED)).as("aged 24 in January 2026").isEqualTo(1.0);
            assertThat(h.current("transitions.tracked", twentySix - HOUR)).as("25 to the last hour").isEqualTo(1.0);
            assertThat(h.current("transitions.tracked", twentySix)).isEqualTo(0.0);
            assertThat(h.stateEntries()).isZero();
            assertThat(h.timers()).isZero();
        }
        Tracked after = track(twentySix + 7 * DAY, identified("older", 2001, 3));
        assertThat(after.state()).as("the tracker once 26 and the lateness have passed").isZero();
        assertThat(after.timers()).isZero();
    }
}
