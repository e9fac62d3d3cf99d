package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * Catching up (the watermark jumping over many hours at once) writes every hour's history but only the current values
 * no later evaluation in the same jump replaces; a job that keeps up writes the current values every hour.
 */
class CatchingUpTest {

    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    static final long MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();

    /** A fact: something happened in a row at a time. */
    public static class Happened implements IndicatorFact {
        public String row;
        public long time;

        public Happened() {
        }

        Happened(String row, long time) {
            this.row = row;
            this.time = time;
        }

        @Override
        public DimensionKey key() {
            return DimensionKey.of("local_authority", row);
        }

        @Override
        public long factTime() {
            return time;
        }

        @Override
        public boolean provisional() {
            return false;
        }

        @Override
        public String identity() {
            return row + "@" + time;
        }
    }

    /** The state: the times things happened. */
    public static class Times {
        public List<Long> times = new ArrayList<>();

        public Times() {
        }
    }

    /** How many things have happened in the row by T. */
    static final class HowMany implements IndicatorModel<Happened, Times> {
        private final IndicatorDefinition definition = IndicatorCatalogue.defaults().get("waiting.people_waiting");

        @Override
        public Times emptyState() {
            return new Times();
        }

        @Override
        public Collection<Long> apply(Times state, Happened fact) {
            state.times.add(fact.time);
            return List.of();
        }

        @Override
        public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, Times state) {
            return List.of(IndicatorValues.withoutRag(definition, key.asMap(),
                    state.times.stream().filter(x -> x <= t).count(), t, Map.of()));
        }

        @Override
        public void forgetBefore(Times state, long horizon) {
        }

        @Override
        public boolean isEmpty(Times state) {
            return false;
        }

        @Override
        public long longestWindowMillis() {
            return 0;
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<DimensionKey, Happened, IndicatorUpdate> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(new HowMany(), TypeInformation.of(Happened.class), Duration.ofMinutes(1),
                        Duration.ofDays(7))),
                Happened::key, TypeInformation.of(DimensionKey.class));
        h.open();
        return h;
    }

    private static List<Long> written(KeyedOneInputStreamOperatorTestHarness<DimensionKey, Happened, IndicatorUpdate> h,
                                      IndicatorUpdate.Target target) {
        return h.extractOutputValues().stream().filter(u -> u.target == target).map(IndicatorUpdate::asOf).toList();
    }

    @Test
    void aJumpOfTwoDaysWritesEveryHoursHistoryAndOnlyTheCurrentValuesNothingLaterReplaces() throws Exception {
        try (var h = harness()) {
            long first = MIDNIGHT + 9 * HOUR + 30 * 60_000L;
            h.processElement(new StreamRecord<>(new Happened("E06000054", first), first));
            h.processElement(new StreamRecord<>(new Happened("E06000054", first + DAY), first + DAY));
            // One advance from before the first fact to 12:30 two days later.
            h.processWatermark(MIDNIGHT + 2 * DAY + 12 * HOUR + 30 * 60_000L);

            List<Long> hours = new ArrayList<>();
            for (long t = MIDNIGHT + 10 * HOUR; t <= MIDNIGHT + 2 * DAY + 12 * HOUR; t += HOUR) {
                hours.add(t);
            }
            assertThat(written(h, IndicatorUpdate.Target.HISTORY)).as("10:00 on the first day to 12:00 on the third")
                    .hasSize(51).containsExactlyElementsOf(hours);
            // Current: each fact's step (09:30, not an hour), each UTC midnight (the daily forgetting may end the key),
            // and the last hour the jump reaches (12:00; 13:00 is after the watermark).
            assertThat(written(h, IndicatorUpdate.Target.CURRENT)).containsExactly(
                    first, MIDNIGHT + DAY, first + DAY, MIDNIGHT + 2 * DAY, MIDNIGHT + 2 * DAY + 12 * HOUR);
            assertThat(h.extractOutputValues()).filteredOn(u -> u.target == IndicatorUpdate.Target.CURRENT)
                    .extracting(u -> u.value.getValue()).as("what had happened by each").containsExactly(1.0, 1.0, 2.0, 2.0, 2.0);
        }
    }

    @Test
    void aJobThatKeepsUpWritesTheCurrentValuesEveryHour() throws Exception {
        try (var h = harness()) {
            long first = MIDNIGHT + 9 * HOUR;
            h.processElement(new StreamRecord<>(new Happened("E06000054", first), first));
            for (long w = first; w <= first + 5 * HOUR; w += HOUR) {
                h.processWatermark(w);
            }
            List<Long> everyHour = List.of(first, first + HOUR, first + 2 * HOUR, first + 3 * HOUR, first + 4 * HOUR, first + 5 * HOUR);
            assertThat(written(h, IndicatorUpdate.Target.CURRENT)).containsExactlyElementsOf(everyHour);
            assertThat(written(h, IndicatorUpdate.Target.HISTORY)).containsExactlyElementsOf(everyHour);
        }
    }
}
