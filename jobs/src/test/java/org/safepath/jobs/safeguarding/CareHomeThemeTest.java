package org.safepath.jobs.safeguarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.safepath.events.CqcRating;
import org.safepath.events.ProviderReference;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.AlertRaiser;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.records.Alert;
import org.safepath.schemas.IndicatorCatalogue;

/**
 * One care home's safeguarding concerns, as market oversight sees them: the 90-day count by type of risk, and the
 * theme (3 of one type, or 5 of any, within 30 days) that sends its link worker in, once per cooldown.
 */
class CareHomeThemeTest {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** Monday 2 March 2026, 09:00 (GMT). */
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final String LA = "E06000054";
    static final String WILLOW_HOUSE = "1-1000000001";
    static final String NEGLECT = "NEGLECT_AND_ACTS_OF_OMISSION";
    static int nextId;

    static SafeguardingFact concernAtHome(String type, long at) {
        SafeguardingFact f = new SafeguardingFact();
        f.kind = SafeguardingFact.Kind.AT_CARE_HOME;
        f.localAuthority = LA;
        f.concernId = "concern-" + (++nextId);
        f.receivedEventId = "sg-" + nextId;
        f.receivedAt = at;
        f.cqcLocationId = WILLOW_HOUSE;
        f.typeOfRisk = type;
        f.locationOfRisk = "CARE_HOME_RESIDENTIAL";
        f.factTime = at;
        return f;
    }

    private static KeyedOneInputStreamOperatorTestHarness<DimensionKey, SafeguardingFact, IndicatorUpdate> home() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(new CareHomeModel(IndicatorCatalogue.defaults()), TypeInformation.of(SafeguardingFact.class),
                        Duration.ofMinutes(1), Duration.ofDays(7))),
                SafeguardingFact::key, TypeInformation.of(DimensionKey.class));
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<DimensionKey, SafeguardingFact, IndicatorUpdate> h, SafeguardingFact f)
            throws Exception {
        h.processElement(new StreamRecord<>(f, f.factTime));
    }

    /** The exact value of an indicator (current, or the hour's history) for a type of risk, written as of exactly {@code asOf}; null if none was. */
    private static Double current(KeyedOneInputStreamOperatorTestHarness<DimensionKey, SafeguardingFact, IndicatorUpdate> h,
                                  String indicator, String type, long asOf) {
        Double value = null;
        for (IndicatorUpdate u : h.extractOutputValues()) {
            if (u.exact() && u.indicator().equals(indicator) && u.asOf() == asOf
                    && type.equals(u.value.getDimensions().get("type_of_risk"))) {
                value = u.value.getValue();
            }
        }
        return value;
    }

    private static List<AlertCandidate> candidates(KeyedOneInputStreamOperatorTestHarness<DimensionKey, SafeguardingFact, IndicatorUpdate> h) {
        List<AlertCandidate> out = new ArrayList<>();
        if (h.getSideOutput(LiveIndicatorAggregator.ALERTS) != null) {
            h.getSideOutput(LiveIndicatorAggregator.ALERTS).forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void aConcernCountsForNinetyDaysAndNotAtExactlyNinetyDaysThenTheHomeKeepsNothing() throws Exception {
        var h = home();
        send(h, concernAtHome("PHYSICAL", MONDAY_9AM));
        h.processWatermark(MONDAY_9AM + 90 * DAY - MINUTE);
        assertThat(current(h, "safeguarding.concerns_90d", "PHYSICAL", MONDAY_9AM)).isEqualTo(1.0);
        assertThat(current(h, "safeguarding.concerns_90d", "PHYSICAL", MONDAY_9AM + 89 * DAY)).isEqualTo(1.0);

        h.processWatermark(MONDAY_9AM + 90 * DAY);
        // The window is (T − 90d, T]: at exactly 90 days the concern sits on the open edge, with no new event.
        assertThat(current(h, "safeguarding.concerns_90d", "PHYSICAL", MONDAY_9AM + 90 * DAY)).isEqualTo(0.0);

        h.processWatermark(MONDAY_9AM + 98 * DAY);
        assertThat(h.numKeyedStateEntries()).as("keyed state once the window and the lateness have passed").isZero();
        assertThat(h.numEventTimeTimers()).as("timers once the window and the lateness have passed").isZero();
        h.close();
    }

    @Test
    void theThirdNeglectConcernWithinThirtyDaysIsAThemeAndALateConcernCountsToo() throws Exception {
        var h = home();
        send(h, concernAtHome(NEGLECT, MONDAY_9AM));
        send(h, concernAtHome(NEGLECT, MONDAY_9AM + 4 * DAY));
        send(h, concernAtHome("PHYSICAL", MONDAY_9AM + 5 * DAY));
        h.processWatermark(MONDAY_9AM + 8 * DAY);
        assertThat(candidates(h)).as("two of one type and three in all: no theme yet").isEmpty();

        send(h, concernAtHome(NEGLECT, MONDAY_9AM + 8 * DAY + 30 * 1000));
        h.processWatermark(MONDAY_9AM + 9 * DAY);
        long third = MONDAY_9AM + 8 * DAY + MINUTE;
        assertThat(current(h, "safeguarding.care_home_theme", NEGLECT, third)).isEqualTo(3.0);
        assertThat(current(h, "safeguarding.care_home_theme", CareHomeModel.ALL_TYPES, third)).isEqualTo(4.0);
        AlertCandidate first = candidates(h).get(0);
        assertThat(first.raisedAt).isEqualTo(third);
        assertThat(first.subjectId).isEqualTo(WILLOW_HOUSE);
        assertThat(first.evidenceCount).isEqualTo(3);
        assertThat(first.evidenceCounts).containsEntry(NEGLECT, 3L).containsEntry("PHYSICAL", 1L).containsEntry("total", 4L);
        assertThat(first.evidenceEventIds).hasSize(4);

        // Thirty days after the first, it leaves the theme window: two neglect concerns remain, no theme.
        h.processWatermark(MONDAY_9AM + 31 * DAY);
        assertThat(current(h, "safeguarding.care_home_theme", NEGLECT, MONDAY_9AM + 30 * DAY)).isEqualTo(2.0);
        h.close();
    }

    private static ProviderReference willowHouse(String linkWorker) {
        return ProviderReference.newBuilder().setLocationId(WILLOW_HOUSE).setProviderId("1-200").setName("Willow House")
                .setLocalAuthority(LA).setServiceType("Care home without nursing").setBeds(40).setCqcOverall(CqcRating.GOOD)
                .setLinkWorker(linkWorker).setUpdatedAt(Instant.ofEpochMilli(MONDAY_9AM)).build();
    }

    private static AlertCandidate theme(long evidence, long at) {
        AlertCandidate c = new AlertCandidate();
        c.rule = CareHomeModel.THEME_RULE;
        c.severity = "HIGH";
        c.subjectKind = "care_home";
        c.subjectId = WILLOW_HOUSE;
        c.audience = AlertRaiser.LINK_WORKER;
        c.evidenceCount = evidence;
        c.evidenceCounts.put(NEGLECT, evidence);
        c.raisedAt = at;
        return c;
    }

    private static KeyedBroadcastOperatorTestHarness<String, AlertCandidate, ProviderReference, Alert> raiser() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AlertRaiser(IndicatorCatalogue.defaults()),
                AlertRaiser::key, TypeInformation.of(String.class), AlertRaiser.PROVIDERS);
    }

    @Test
    void theFourthConcernInsideTheCooldownRaisesNothingAndTheSixthEscalates() throws Exception {
        var h = raiser();
        h.processBroadcastElement(willowHouse("link-north@council.example"), MONDAY_9AM);
        h.processElement(theme(3, MONDAY_9AM + 8 * DAY), MONDAY_9AM + 8 * DAY);
        h.processElement(theme(4, MONDAY_9AM + 9 * DAY), MONDAY_9AM + 9 * DAY);
        h.processElement(theme(5, MONDAY_9AM + 10 * DAY), MONDAY_9AM + 10 * DAY);
        assertThat(h.extractOutputValues()).as("one alert for the 3rd; the 4th and 5th within 7 days are not news").hasSize(1);
        h.processElement(theme(6, MONDAY_9AM + 11 * DAY), MONDAY_9AM + 11 * DAY);
        List<Alert> alerts = h.extractOutputValues();
        assertThat(alerts).as("the 6th doubles the evidence: escalation").hasSize(2);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.getAudience()).isEqualTo("link_worker");
            assertThat(a.getRecipient()).isEqualTo("link-north@council.example");
            assertThat(a.getSubjectName()).isEqualTo("Willow House");
        });
        assertThat(alerts.get(0).getAlertId()).isNotEqualTo(alerts.get(1).getAlertId());

        // The same candidates again (a replay) give the same ids.
        var replay = raiser();
        replay.processBroadcastElement(willowHouse("link-north@council.example"), MONDAY_9AM);
        for (long n = 3; n <= 6; n++) {
            replay.processElement(theme(n, MONDAY_9AM + (5 + n) * DAY), MONDAY_9AM + (5 + n) * DAY);
        }
        assertThat(replay.extractOutputValues()).extracting(Alert::getAlertId)
                .containsExactlyElementsOf(alerts.stream().map(Alert::getAlertId).toList());

        // Seven days after the escalation the cooldown is over: a theme that merely persists is not raised again,
        // a new concern is.
        h.processElement(theme(7, MONDAY_9AM + 17 * DAY), MONDAY_9AM + 17 * DAY);
        assertThat(h.extractOutputValues()).as("a seventh concern within 7 days of the escalation").hasSize(2);
        h.processElement(theme(7, MONDAY_9AM + 18 * DAY), MONDAY_9AM + 18 * DAY);
        assertThat(h.extractOutputValues()).as("the cooldown over, the seventh concern is news").hasSize(3);
        h.processElement(theme(7, MONDAY_9AM + 19 * DAY), MONDAY_9AM + 19 * DAY);
        h.processElement(theme(7, MONDAY_9AM + 26 * DAY), MONDAY_9AM + 26 * DAY);
        assertThat(h.extractOutputValues()).as("the same seven concerns, however long the theme lasts").hasSize(3);
        h.close();
        replay.close();
    }

    @Test
    void aHomeWithNoLinkWorkerOnRecordAlertsMarketOversightAndSaysSo() throws Exception {
        var h = raiser();
        h.processBroadcastElement(willowHouse(null), MONDAY_9AM);
        h.processElement(theme(3, MONDAY_9AM + 8 * DAY), MONDAY_9AM + 8 * DAY);
        Alert a = h.extractOutputValues().get(0);
        assertThat(a.getAudience()).isEqualTo("market_oversight");
        assertThat(a.getUnresolvedAudience()).isEqualTo("link_worker");
        assertThat(a.getRecipient()).isNull();

        // A link worker assigned later applies from the moment the reference record arrives.
        h.processBroadcastElement(willowHouse("link-west@council.example"), MONDAY_9AM + 9 * DAY);
        h.processElement(theme(6, MONDAY_9AM + 10 * DAY), MONDAY_9AM + 10 * DAY);
        assertThat(h.extractOutputValues().get(1).getRecipient()).isEqualTo("link-west@council.example");
        h.close();
    }
}
