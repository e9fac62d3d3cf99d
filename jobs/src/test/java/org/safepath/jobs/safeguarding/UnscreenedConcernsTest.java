package org.safepath.jobs.safeguarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorUpdate;
import org.safepath.jobs.primitives.LiveIndicatorAggregator;
import org.safepath.schemas.IndicatorCatalogue;

/** A council's front door: concerns waiting more than 24 hours for screening, and how many become Section 42 enquiries. */
class UnscreenedConcernsTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

    private static SafeguardingFact status(String concern, long received, Long screened, boolean s42, long factTime) {
        SafeguardingFact f = new SafeguardingFact();
        f.kind = SafeguardingFact.Kind.STATUS;
        f.localAuthority = "E06000054";
        f.concernId = concern;
        f.receivedEventId = "sg-" + concern;
        f.receivedAt = received;
        f.screenedAt = screened;
        f.section42 = s42;
        f.factTime = factTime;
        return f;
    }

    private static Double current(KeyedOneInputStreamOperatorTestHarness<DimensionKey, SafeguardingFact, IndicatorUpdate> h,
                                  String indicator, long asOf) {
        Double value = null;
        for (IndicatorUpdate u : h.extractOutputValues()) {
            if (u.exact() && u.indicator().equals(indicator) && u.asOf() == asOf) {
                value = u.value.getValue();
            }
        }
        return value;
    }

    @Test
    void aConcernBecomesUnscreenedAtExactly24HoursWithNoEventAndStopsWhenScreened() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(new AuthorityModel(IndicatorCatalogue.defaults()), TypeInformation.of(SafeguardingFact.class),
                        Duration.ofMinutes(1), Duration.ofDays(7))),
                SafeguardingFact::key, TypeInformation.of(DimensionKey.class));
        h.open();
        h.processElement(new StreamRecord<>(status("c1", MONDAY_9AM, null, false, MONDAY_9AM), MONDAY_9AM));
        h.processElement(new StreamRecord<>(status("c2", MONDAY_9AM, null, false, MONDAY_9AM), MONDAY_9AM));
        h.processWatermark(MONDAY_9AM + DAY);
        assertThat(current(h, "safeguarding.unscreened_over_24h", MONDAY_9AM)).isEqualTo(0.0);
        assertThat(current(h, "safeguarding.unscreened_over_24h", MONDAY_9AM + DAY)).as("T − received >= 24h").isEqualTo(2.0);

        // c1 screened 30 hours in as a Section 42 enquiry, c2 at 40 hours with no further action.
        h.processElement(new StreamRecord<>(status("c1", MONDAY_9AM, MONDAY_9AM + 30 * HOUR, true, MONDAY_9AM + 30 * HOUR), MONDAY_9AM + 30 * HOUR));
        h.processElement(new StreamRecord<>(status("c2", MONDAY_9AM, MONDAY_9AM + 40 * HOUR, false, MONDAY_9AM + 40 * HOUR), MONDAY_9AM + 40 * HOUR));
        h.processWatermark(MONDAY_9AM + 2 * DAY);
        assertThat(current(h, "safeguarding.unscreened_over_24h", MONDAY_9AM + 30 * HOUR)).isEqualTo(1.0);
        assertThat(current(h, "safeguarding.s42_conversion_90d", MONDAY_9AM + 30 * HOUR)).isEqualTo(1.0);
        assertThat(current(h, "safeguarding.unscreened_over_24h", MONDAY_9AM + 40 * HOUR)).isEqualTo(0.0);
        assertThat(current(h, "safeguarding.s42_conversion_90d", MONDAY_9AM + 40 * HOUR)).as("one of two screened").isEqualTo(0.5);

        h.processWatermark(MONDAY_9AM + 100 * DAY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
