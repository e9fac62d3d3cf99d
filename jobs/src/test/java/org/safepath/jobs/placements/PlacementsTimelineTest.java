package org.safepath.jobs.placements;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.events.CareJourneyEventType;
import org.safepath.jobs.journeys.CareJourneyEvent;
import org.safepath.jobs.primitives.AggregatorHarness;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.schemas.IndicatorCatalogue;

/** A placing team's people in homes of other councils' areas, and the news those councils do not pass on. */
class PlacementsTimelineTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final String HOME = "1-1000000011";
    static final String HOST = "E06000022";
    static int nextId;

    static CareJourneyEvent service(String person, CareJourneyEventType type, long at, String location, String host) {
        CareJourneyEvent e = new CareJourneyEvent();
        e.eventId = "cj-" + (++nextId);
        e.occurredAt = at;
        e.localAuthority = "E06000054";
        e.personRef = person;
        e.type = type;
        e.team = "Learning Disability Team";
        e.providerLocationId = location;
        e.providerLocalAuthority = host;
        e.sourceTopic = "safepath.care-journey";
        return e;
    }

    static List<PlacementFact> outOfArea(CareJourneyEvent... events) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new PlacementTracker(Duration.ofDays(7), Duration.ZERO)), (CareJourneyEvent e) -> e.personRef, Types.STRING);
        h.open();
        long last = Long.MIN_VALUE;
        for (CareJourneyEvent e : events) {
            h.processElement(new StreamRecord<>(e, e.occurredAt));
            last = Math.max(last, e.occurredAt);
        }
        h.processWatermark(last);
        List<PlacementFact> facts = new ArrayList<>(h.extractOutputValues().stream().filter(PlacementFact::outOfArea).toList());
        h.close();
        return facts;
    }

    static HostNews news(HostNews.Kind kind, long at) {
        HostNews n = new HostNews();
        n.kind = kind;
        n.providerLocationId = HOME;
        n.at = at;
        n.eventId = "news-" + (++nextId);
        n.typeOfRisk = kind == HostNews.Kind.SAFEGUARDING_CONCERN ? "PHYSICAL" : null;
        return n;
    }

    @Test
    void peopleArePlacedOutOfAreaByHostAuthorityEachOnceAndNotThoseInTheCouncilsOwnArea() throws Exception {
        List<PlacementFact> facts = outOfArea(
                service("p1", CareJourneyEventType.SERVICE_STARTED, MONDAY_9AM, HOME, HOST),
                service("p1", CareJourneyEventType.SERVICE_STARTED, MONDAY_9AM + DAY, "1-1000000023", HOST),
                service("p2", CareJourneyEventType.SERVICE_STARTED, MONDAY_9AM + DAY, HOME, HOST),
                service("p3", CareJourneyEventType.SERVICE_STARTED, MONDAY_9AM + DAY, "1-1000000001", "E06000054"),
                service("p2", CareJourneyEventType.SERVICE_ENDED, MONDAY_9AM + 10 * DAY, HOME, HOST));
        try (var h = AggregatorHarness.of(new PlacementsModel(IndicatorCatalogue.defaults()), PlacementFact.class)) {
            h.send(facts).watermark(MONDAY_9AM + 11 * DAY);
            assertThat(h.current("placements.out_of_area", MONDAY_9AM + DAY, "host_local_authority", HOST))
                    .as("p1 at two homes there counts once; p3 is in the council's own area").isEqualTo(2.0);
            assertThat(h.current("placements.out_of_area", MONDAY_9AM + 10 * DAY, "host_local_authority", HOST)).isEqualTo(1.0);
            assertThat(h.current("placements.out_of_area", MONDAY_9AM + DAY, "host_local_authority", "E06000054")).isNull();
        }
    }

    @Test
    void aConcernAtAHostHomeTellsThePlacingTeamHowManyOfItsPeopleAreThereAndASuspensionIsMoreSerious() throws Exception {
        List<PlacementFact> facts = outOfArea(
                service("p1", CareJourneyEventType.SERVICE_STARTED, MONDAY_9AM, HOME, HOST),
                service("p2", CareJourneyEventType.SERVICE_STARTED, MONDAY_9AM + 3 * DAY, HOME, HOST));
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new HostNewsCheck(Duration.ofDays(7))),
                (PlacementFact f) -> f.providerLocationId, (HostNews n) -> n.providerLocationId, Types.STRING);
        h.open();
        HostNews early = news(HostNews.Kind.SAFEGUARDING_CONCERN, MONDAY_9AM - DAY);
        HostNews concern = news(HostNews.Kind.SAFEGUARDING_CONCERN, MONDAY_9AM + 2 * DAY);
        HostNews suspension = news(HostNews.Kind.SUSPENSION_STARTED, MONDAY_9AM + 5 * DAY);
        h.processElement2(new StreamRecord<>(early, early.at));
        h.processElement2(new StreamRecord<>(concern, concern.at));
        h.processElement2(new StreamRecord<>(suspension, suspension.at));
        for (PlacementFact f : facts) {             // the placements are recorded after the news arrived
            h.processElement1(new StreamRecord<>(f, f.factTime));
        }
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(MONDAY_9AM + 6 * DAY));
        List<AlertCandidate> alerts = h.extractOutputValues();
        assertThat(alerts).as("nobody was placed there before the first concern").hasSize(2);
        assertThat(alerts.get(0).evidenceCounts).containsEntry("people_placed", 1L);
        assertThat(alerts.get(0).severity).isEqualTo("WARNING");
        assertThat(alerts.get(0).evidenceEventIds).containsExactly(concern.eventId);
        assertThat(alerts.get(1).evidenceCounts).containsEntry("people_placed", 2L);
        assertThat(alerts.get(1).severity).isEqualTo("HIGH");
        assertThat(alerts.get(1).evidenceDetails).containsEntry("news", "SUSPENSION_STARTED").containsEntry("host_local_authority", HOST);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.audience).isEqualTo("placing_team");
            assertThat(a.recipient).isEqualTo("Learning Disability Team");
            assertThat(a.subjectId).isEqualTo(HOME);
        });
        h.close();
    }
}
