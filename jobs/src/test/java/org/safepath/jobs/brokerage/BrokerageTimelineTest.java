package org.safepath.jobs.brokerage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.jobs.providers.ProviderConcern;
import org.safepath.schemas.IndicatorCatalogue;

/** A brokerage team's day: requests waiting to be sourced, responses on the day they came, and the control on suspended providers. */
class BrokerageTimelineTest {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final String LA = "E06000054";
    static final String HOME = "1-1000000003";
    static int nextId;

    static BrokerageEvent event(String type, String request, long at) {
        BrokerageEvent e = new BrokerageEvent();
        e.eventId = "br-" + (++nextId);
        e.occurredAt = at;
        e.localAuthority = LA;
        e.type = type;
        e.requestId = request;
        e.sourceTopic = "safepath.brokerage";
        e.sourceOffset = nextId;
        return e;
    }

    static BrokerageEvent requested(String request, long at, String urgency) {
        BrokerageEvent e = event("REQUESTED", request, at);
        e.packageType = "HOME_CARE";
        e.urgency = urgency;
        e.area = "North";
        return e;
    }

    /** The facts the request tracker tells, in order. */
    private static List<RequestFact> track(BrokerageEvent... events) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new RequestTracker(Duration.ofDays(28), Duration.ofDays(7))), RequestTracker::key, Types.STRING);
        h.open();
        for (BrokerageEvent e : events) {
            h.processElement(new StreamRecord<>(e, e.occurredAt));
        }
        List<RequestFact> facts = new ArrayList<>(h.extractOutputValues());
        h.close();
        return facts;
    }

    private static <S> KeyedOneInputStreamOperatorTestHarness<DimensionKey, RequestFact, IndicatorUpdate> aggregator(
            IndicatorModel<RequestFact, S> model) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(model, TypeInformation.of(RequestFact.class), Duration.ofMinutes(1), Duration.ofDays(7))),
                RequestFact::key, TypeInformation.of(DimensionKey.class));
        h.open();
        return h;
    }

    private static Double current(KeyedOneInputStreamOperatorTestHarness<DimensionKey, RequestFact, IndicatorUpdate> h, String urgency, long asOf) {
        Double v = null;
        for (IndicatorUpdate u : h.extractOutputValues()) {
            if (u.exact() && u.asOf() == asOf
                    && (urgency == null || urgency.equals(u.value.getDimensions().get("urgency")))) {
                v = u.value.getValue();
            }
        }
        return v;
    }

    @Test
    void aRequestIsUnsourcedAtExactly72HoursWithNoEventAndNotOnceSourced() throws Exception {
        long monday = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
        var h = aggregator(new BrokerageModels.Unsourced(IndicatorCatalogue.defaults()));
        for (RequestFact f : track(requested("r1", monday, "ROUTINE"))) {
            if (f.kind == RequestFact.Kind.UNSOURCED) {
                h.processElement(new StreamRecord<>(f, f.factTime));
            }
        }
        h.processWatermark(monday + 72 * HOUR);
        assertThat(current(h, null, monday + 72 * HOUR - HOUR)).isEqualTo(0.0);
        assertThat(current(h, null, monday + 72 * HOUR)).as("T − requested >= 72h").isEqualTo(1.0);

        for (RequestFact f : track(requested("r1", monday, "ROUTINE"), event("SOURCED", "r1", monday + 80 * HOUR))) {
            if (f.kind == RequestFact.Kind.UNSOURCED) {
                h.processElement(new StreamRecord<>(f, f.factTime));
            }
        }
        h.processWatermark(monday + 81 * HOUR);
        assertThat(current(h, null, monday + 80 * HOUR)).isEqualTo(0.0);
        h.close();
    }

    @Test
    void aResponseJustAfterLondonMidnightIsNotTheSameDayAcrossTheMarchClockChange() throws Exception {
        // Clocks go forward at 01:00 GMT on Sunday 29 March 2026: London midnight is 23:00 UTC from then on.
        long saturdayEvening = Instant.parse("2026-03-28T22:30:00Z").toEpochMilli();    // 22:30 GMT, Saturday
        long justAfterMidnight = Instant.parse("2026-03-29T00:05:00Z").toEpochMilli();   // 00:05 GMT, Sunday
        long sundayEvening = Instant.parse("2026-03-29T22:30:00Z").toEpochMilli();      // 23:30 BST, Sunday
        long sundayLate = Instant.parse("2026-03-29T22:55:00Z").toEpochMilli();         // 23:55 BST, Sunday
        long mondayEarly = Instant.parse("2026-03-29T23:10:00Z").toEpochMilli();        // 00:10 BST, Monday
        var h = aggregator(new BrokerageModels.SameDayResponse(IndicatorCatalogue.defaults()));
        List<RequestFact> facts = new ArrayList<>();
        facts.addAll(track(requested("sat", saturdayEvening, "URGENT"), event("RESPONDED", "sat", justAfterMidnight)));
        facts.addAll(track(requested("sun", sundayEvening, "URGENT"), event("RESPONDED", "sun", sundayLate)));
        facts.addAll(track(requested("sun2", sundayLate, "URGENT"), event("RESPONDED", "sun2", mondayEarly)));
        for (RequestFact f : facts) {
            if (f.kind == RequestFact.Kind.RESPONSE) {
                h.processElement(new StreamRecord<>(f, f.factTime));
            }
        }
        long t = Instant.parse("2026-03-30T09:00:00Z").toEpochMilli();
        h.processWatermark(t);
        // Of three requests only Sunday 23:30 → 23:55 BST was answered on its London day: 1 of 3.
        assertThat(current(h, null, t)).isEqualTo(1.0 / 3);
        h.close();
    }

    @Test
    void anEscalationMovesTheRequestToItsNewUrgencyRowAsOfItsTime() throws Exception {
        long monday = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
        BrokerageEvent escalated = event("ESCALATED", "r9", monday + 5 * HOUR);
        escalated.urgency = "SAME_DAY";
        var h = aggregator(new BrokerageModels.OpenRequests(IndicatorCatalogue.defaults()));
        // The escalation arrives before the request itself: the tracker waits for it, then tells both rows.
        for (RequestFact f : track(escalated, requested("r9", monday, "ROUTINE"))) {
            if (f.kind == RequestFact.Kind.OPEN) {
                h.processElement(new StreamRecord<>(f, f.factTime));
            }
        }
        h.processWatermark(monday + 6 * HOUR);
        assertThat(current(h, "ROUTINE", monday)).isEqualTo(1.0);
        assertThat(current(h, "ROUTINE", monday + 5 * HOUR)).isEqualTo(0.0);
        assertThat(current(h, "SAME_DAY", monday + 5 * HOUR)).isEqualTo(1.0);
        h.close();
    }

    private static ProviderConcern suspension(String kind, long at) {
        ProviderConcern c = new ProviderConcern();
        c.eventId = "pc-" + (++nextId);
        c.occurredAt = at;
        c.localAuthority = LA;
        c.providerLocationId = HOME;
        c.concernId = "suspension-1";
        c.kind = kind;
        return c;
    }

    private static BrokerageEvent sourced(String request, long at) {
        BrokerageEvent e = event("SOURCED", request, at);
        e.providerLocationId = HOME;
        return e;
    }

    @Test
    void sourcingFromASuspendedProviderAlertsBrokerageAndMarketOversightEvenWhenTheSuspensionArrivesSecond() throws Exception {
        long monday = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new SuspendedProviderCheck(Duration.ofDays(7))),
                (ProviderConcern c) -> c.providerLocationId, (BrokerageEvent e) -> e.providerLocationId, Types.STRING);
        h.open();
        h.processElement2(new StreamRecord<>(sourced("before", monday - HOUR), monday - HOUR));
        h.processElement2(new StreamRecord<>(sourced("during", monday + DAY), monday + DAY));
        // The suspension is recorded after the sourcing reached the job, within the out-of-orderness.
        h.processElement1(new StreamRecord<>(suspension("SUSPENSION_STARTED", monday), monday));
        h.processElement1(new StreamRecord<>(suspension("SUSPENSION_LIFTED", monday + 3 * DAY), monday + 3 * DAY));
        h.processElement2(new StreamRecord<>(sourced("after", monday + 4 * DAY), monday + 4 * DAY));
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(monday + 5 * DAY));
        List<AlertCandidate> alerts = h.extractOutputValues();
        assertThat(alerts).extracting(a -> a.audience).containsExactlyInAnyOrder("brokerage", "market_oversight");
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.severity).isEqualTo("CRITICAL");
            assertThat(a.raisedAt).isEqualTo(monday + DAY);
            assertThat(a.subjectId).isEqualTo(HOME);
        });
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(monday + 20 * DAY));
        assertThat(h.numKeyedStateEntries()).as("state once the lifted suspension is past the lateness").isZero();
        h.close();
    }
}
