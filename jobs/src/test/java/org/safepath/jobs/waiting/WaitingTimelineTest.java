package org.safepath.jobs.waiting;

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
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.schemas.IndicatorCatalogue;

/** A locality team's waiting list: waits crossing their thresholds and bands with no event, and a re-triaged wait. */
class WaitingTimelineTest {

    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long WEEK = 7 * DAY;
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final String LA = "E06000054";
    static int nextId;

    static CareJourneyEvent event(CareJourneyEventType type, String wait, long at, String priority) {
        CareJourneyEvent e = new CareJourneyEvent();
        e.eventId = "cj-" + (++nextId);
        e.occurredAt = at;
        e.localAuthority = LA;
        e.personRef = "person-of-" + wait;
        e.type = type;
        e.waitId = wait;
        e.team = "North Locality";
        e.waitingFor = "FIRST_ASSESSMENT";
        e.priority = priority;
        e.sourceTopic = "safepath.care-journey";
        e.sourceOffset = nextId;
        return e;
    }

    static CareJourneyEvent added(String wait, long at, String priority) {
        return event(CareJourneyEventType.ADDED_TO_WAITING_LIST, wait, at, priority);
    }

    /** The wait tracker over these events, in the order given, the watermark then past them all. */
    static final class Tracker implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<String, CareJourneyEvent, WaitFact> h;

        Tracker() throws Exception {
            h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WaitTracker(Duration.ofDays(7), Duration.ZERO)),
                    WaitTracker::key, Types.STRING);
            h.open();
        }

        List<WaitFact> track(CareJourneyEvent... events) throws Exception {
            int before = h.extractOutputValues().size();
            long last = Long.MIN_VALUE;
            for (CareJourneyEvent e : events) {
                h.processElement(new StreamRecord<>(e, e.occurredAt));
                last = Math.max(last, e.occurredAt);
            }
            h.processWatermark(last);
            List<WaitFact> all = h.extractOutputValues();
            return new ArrayList<>(all.subList(before, all.size()));
        }

        @Override
        public void close() throws Exception {
            h.close();
        }
    }

    @Test
    void aHighWaitIsOverItsThresholdAtExactlySevenDaysWithNoEvent() throws Exception {
        try (Tracker t = new Tracker(); var h = AggregatorHarness.of(new WaitingModel(IndicatorCatalogue.defaults()), WaitFact.class)) {
            h.send(t.track(added("w1", MONDAY_9AM, "HIGH"))).watermark(MONDAY_9AM + 7 * DAY);
            assertThat(h.current("waiting.people_waiting", MONDAY_9AM, "priority", "HIGH")).isEqualTo(1.0);
            assertThat(h.current("waiting.over_threshold", MONDAY_9AM + 7 * DAY - HOUR, "priority", "HIGH")).as("6 days 23 hours").isEqualTo(0.0);
            assertThat(h.current("waiting.over_threshold", MONDAY_9AM + 7 * DAY, "priority", "HIGH")).as("T − added >= 7 days").isEqualTo(1.0);
            assertThat(h.current("waiting.median_wait_days", MONDAY_9AM + 7 * DAY, "priority", "HIGH")).isEqualTo(7.0);
            assertThat(h.current("waiting.band_under_6_weeks", MONDAY_9AM + 7 * DAY, "priority", "HIGH")).isEqualTo(1.0);
        }
    }

    @Test
    void aWaitOfExactlyTwelveWeeksIsInTheTwelveToTwentyThreeWeekBand() throws Exception {
        try (Tracker t = new Tracker(); var h = AggregatorHarness.of(new WaitingModel(IndicatorCatalogue.defaults()), WaitFact.class)) {
            h.send(t.track(added("w2", MONDAY_9AM, "LOW"))).watermark(MONDAY_9AM + 12 * WEEK);
            long justBefore = MONDAY_9AM + 12 * WEEK - HOUR;
            assertThat(h.current("waiting.band_6_to_11_weeks", justBefore, "priority", "LOW")).isEqualTo(1.0);
            assertThat(h.current("waiting.band_12_to_23_weeks", justBefore, "priority", "LOW")).isEqualTo(0.0);
            assertThat(h.current("waiting.band_6_to_11_weeks", MONDAY_9AM + 12 * WEEK, "priority", "LOW")).isEqualTo(0.0);
            assertThat(h.current("waiting.band_12_to_23_weeks", MONDAY_9AM + 12 * WEEK, "priority", "LOW")).isEqualTo(1.0);
            // Low's threshold is 84 days: twelve weeks exactly.
            assertThat(h.current("waiting.over_threshold", justBefore, "priority", "LOW")).isEqualTo(0.0);
            assertThat(h.current("waiting.over_threshold", MONDAY_9AM + 12 * WEEK, "priority", "LOW")).isEqualTo(1.0);
        }
    }

    @Test
    void aLowWaitRaisedToMediumAfterThirtyDaysMovesRowsWithoutRestartingAndIsForgottenOnceRemoved() throws Exception {
        long changed = MONDAY_9AM + 30 * DAY;
        long removed = MONDAY_9AM + 40 * DAY;
        try (Tracker t = new Tracker(); var h = AggregatorHarness.of(new WaitingModel(IndicatorCatalogue.defaults()), WaitFact.class)) {
            h.send(t.track(added("w3", MONDAY_9AM, "LOW"))).watermark(changed - HOUR);
            h.send(t.track(event(CareJourneyEventType.PRIORITY_CHANGED, "w3", changed, "MEDIUM"))).watermark(changed);
            assertThat(h.current("waiting.people_waiting", changed - HOUR, "priority", "LOW")).isEqualTo(1.0);
            assertThat(h.current("waiting.over_threshold", changed - HOUR, "priority", "LOW")).as("29 days: under Low's 84").isEqualTo(0.0);
            assertThat(h.current("waiting.people_waiting", changed, "priority", "LOW")).isEqualTo(0.0);
            assertThat(h.current("waiting.people_waiting", changed, "priority", "MEDIUM")).isEqualTo(1.0);
            assertThat(h.current("waiting.over_threshold", changed, "priority", "MEDIUM"))
                    .as("30 days since it was added: over Medium's 28 at once, not restarted").isEqualTo(1.0);
            assertThat(h.current("waiting.median_wait_days", changed, "priority", "MEDIUM")).isEqualTo(30.0);

            h.send(t.track(event(CareJourneyEventType.REMOVED_FROM_WAITING_LIST, "w3", removed, null))).watermark(removed);
            assertThat(h.current("waiting.people_waiting", removed, "priority", "MEDIUM")).isEqualTo(0.0);

            t.h.processWatermark(removed + 7 * DAY + 1);
            assertThat(t.h.numKeyedStateEntries()).as("the tracker once the removal is past the lateness").isZero();
            assertThat(t.h.numEventTimeTimers()).isZero();
            h.watermark(MONDAY_9AM + 24 * WEEK + HOUR);
            assertThat(h.stateEntries()).as("the rows once the wait's last band edge has passed").isZero();
            assertThat(h.timers()).isZero();
        }
    }

    @Test
    void aHundredWaitsInARowKeepOneTimerForTheirThresholdsAndBandEdgesAndStillChangeAtEach() throws Exception {
        try (Tracker t = new Tracker(); var h = AggregatorHarness.of(new WaitingModel(IndicatorCatalogue.defaults()), WaitFact.class)) {
            for (int i = 0; i < 100; i++) {
                h.send(t.track(added("w" + i, MONDAY_9AM + i * MINUTE, "LOW")));
            }
            h.watermark(MONDAY_9AM + 2 * HOUR);
            // 400 instants weeks ahead (each wait's threshold and band edges at 6, 12 and 24 weeks): a timer for the
            // earliest, and the row's next hourly tick.
            assertThat(h.timers()).isEqualTo(2);
            h.watermark(MONDAY_9AM + 12 * WEEK + 50 * MINUTE);
            assertThat(h.current("waiting.over_threshold", MONDAY_9AM + 12 * WEEK + 49 * MINUTE, "priority", "LOW"))
                    .as("Low's 84 days reached by the waits added in the first 50 minutes").isEqualTo(50.0);
            assertThat(h.current("waiting.over_threshold", MONDAY_9AM + 12 * WEEK + 50 * MINUTE, "priority", "LOW")).isEqualTo(51.0);
        }
    }

    @Test
    void aChangeToAWaitNotOnTheListIsDeadLetteredWithItsReason() throws Exception {
        try (Tracker t = new Tracker()) {
            t.track(event(CareJourneyEventType.PRIORITY_CHANGED, "w4", MONDAY_9AM, "HIGH"), added("w4", MONDAY_9AM + HOUR, "LOW"));
            var dead = t.h.getSideOutput(DeadLetters.TAG);
            assertThat(dead).hasSize(1);
            assertThat(dead.peek().getValue().detail).contains("PRIORITY_CHANGED").contains("not on the list");
        }
    }

    @Test
    void aCouncilWithItsOwnHighThresholdCountsFromItsOwnDay() throws Exception {
        IndicatorCatalogue fiveDays = IndicatorCatalogue.withOverrides(java.util.Map.of("waiting.over_threshold.high_days." + LA, "5"));
        try (Tracker t = new Tracker(); var h = AggregatorHarness.of(new WaitingModel(fiveDays), WaitFact.class)) {
            h.send(t.track(added("w5", MONDAY_9AM, "HIGH"))).watermark(MONDAY_9AM + 5 * DAY);
            assertThat(h.current("waiting.over_threshold", MONDAY_9AM + 5 * DAY, "priority", "HIGH")).isEqualTo(1.0);
        }
    }
}
