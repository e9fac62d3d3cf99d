package org.safepath.jobs.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;

/** One care home as the market oversight lead sees it: the risk score, why, and when it turns red. */
class ProviderRiskTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    static final String HOME = "1-1000000003";

    private static ProviderFact reference(long at, String cqc, String pamms, int beds) {
        ProviderFact f = new ProviderFact();
        f.kind = ProviderFact.Kind.REFERENCE;
        f.providerLocationId = HOME;
        f.localAuthority = "E06000054";
        f.factTime = at;
        f.beds = beds;
        f.cqcOverall = cqc;
        f.pammsRating = pamms;
        f.careStaff = 40;
        f.sponsoredWorkers = 5;
        return f;
    }

    private static ProviderFact concern(String id, String kind, boolean closed, long at) {
        ProviderFact f = new ProviderFact();
        f.kind = ProviderFact.Kind.CONCERN;
        f.providerLocationId = HOME;
        f.localAuthority = "E06000054";
        f.factTime = at;
        f.concernKind = kind;
        f.concernId = id;
        f.closed = closed;
        return f;
    }

    private static ProviderFact safeguarding(String id, long at) {
        ProviderFact f = new ProviderFact();
        f.kind = ProviderFact.Kind.SAFEGUARDING;
        f.providerLocationId = HOME;
        f.localAuthority = "E06000054";
        f.factTime = at;
        f.concernId = id;
        return f;
    }

    private static IndicatorValue score(KeyedOneInputStreamOperatorTestHarness<DimensionKey, ProviderFact, IndicatorUpdate> h, long asOf) {
        IndicatorValue v = null;
        for (IndicatorUpdate u : h.extractOutputValues()) {
            if (u.exact() && u.asOf() == asOf && u.indicator().equals("provider.risk_score")) {
                v = u.value;
            }
        }
        return v;
    }

    @Test
    void aSuspensionOnTopOfWeakRatingsTurnsTheHomeRedAndTheDocumentSaysWhy() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(new ProviderRiskModel(IndicatorCatalogue.defaults()), TypeInformation.of(ProviderFact.class),
                        Duration.ofMinutes(1), Duration.ofDays(7))),
                ProviderFact::key, TypeInformation.of(DimensionKey.class));
        h.open();
        h.processElement(new StreamRecord<>(reference(MONDAY_9AM - 40 * DAY, "REQUIRES_IMPROVEMENT", "REQUIRES_IMPROVEMENT", 40), MONDAY_9AM - 40 * DAY));
        // A quality concern closed on day 2 whose closing reached the job before its opening.
        h.processElement(new StreamRecord<>(concern("q1", "QUALITY_CONCERN", true, MONDAY_9AM + 2 * DAY), MONDAY_9AM + 2 * DAY));
        h.processElement(new StreamRecord<>(concern("q1", "QUALITY_CONCERN", false, MONDAY_9AM), MONDAY_9AM));
        // Eight safeguarding concerns at 40 beds in 90 days: 2 per 10 beds, 20 points (the cap).
        for (int i = 0; i < 8; i++) {
            h.processElement(new StreamRecord<>(safeguarding("sg" + i, MONDAY_9AM - 30 * DAY + i * HOUR), MONDAY_9AM - 30 * DAY + i * HOUR));
        }
        h.processElement(new StreamRecord<>(concern("s1", "SUSPENSION_STARTED", false, MONDAY_9AM + 3 * DAY), MONDAY_9AM + 3 * DAY));
        h.processWatermark(MONDAY_9AM + 4 * DAY);

        IndicatorValue day1 = score(h, MONDAY_9AM + DAY);
        // CQC Requires improvement 20, PAMMS Requires improvement 10, one open concern 5, safeguarding 20: 55, amber.
        assertThat(day1.getValue()).isEqualTo(55.0);
        assertThat(day1.getRag().name()).isEqualTo("AMBER");
        assertThat(day1.getComponents()).containsEntry("cqc_rating", 20.0).containsEntry("pamms_rating", 10.0)
                .containsEntry("open_quality_concerns", 5.0).containsEntry("safeguarding_per_10_beds", 20.0)
                .containsEntry("suspension", 0.0);

        IndicatorValue suspended = score(h, MONDAY_9AM + 3 * DAY);
        // The concern closed on day 2 (5 fewer), the suspension adds 30: 80, red.
        assertThat(suspended.getValue()).isEqualTo(80.0);
        assertThat(suspended.getRag().name()).isEqualTo("RED");
        assertThat(suspended.getComponents()).containsEntry("suspension", 30.0).containsEntry("open_quality_concerns", 0.0);

        List<AlertCandidate> alerts = h.getSideOutput(LiveIndicatorAggregator.ALERTS).stream().map(r -> r.getValue()).toList();
        assertThat(alerts).as("turned red when suspended").anySatisfy(a -> {
            assertThat(a.raisedAt).isEqualTo(MONDAY_9AM + 3 * DAY);
            assertThat(a.severity).isEqualTo("HIGH");
            assertThat(a.audience).isEqualTo("market_oversight");
            assertThat(a.evidenceCounts).containsAllEntriesOf(Map.of("score", 80L, "suspension", 30L));
        });
        h.close();
    }
}
