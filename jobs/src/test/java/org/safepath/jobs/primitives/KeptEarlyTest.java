package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * For a model whose facts replace by identity, the live aggregator keeps a busy key's early state between early writes
 * instead of copying the exact state and laying every provisional fact over it again. The early values must be the
 * same as that copy gives, whatever comes: exact facts that differ from their provisional ones, provisional facts with
 * no exact one, late facts, the daily forgetting.
 */
class KeptEarlyTest {

    static final long SECOND = 1000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long BEFORE_MIDNIGHT = Instant.parse("2026-03-02T23:50:00Z").toEpochMilli();

    /** What a thing in a row stands at, from a time on. */
    public static class Reading implements IndicatorFact {
        public String row;
        public String thing;
        public long time;
        public long value;
        public boolean provisional;

        public Reading() {
        }

        Reading(String row, String thing, long time, long value, boolean provisional) {
            this.row = row;
            this.thing = thing;
            this.time = time;
            this.value = value;
            this.provisional = provisional;
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
            return provisional;
        }

        @Override
        public String identity() {
            return thing;
        }
    }

    /** The state: each thing's newest reading. */
    public static class Readings {
        public Map<String, Reading> byThing = new HashMap<>();

        public Readings() {
        }
    }

    /** The sum, as of T, of each thing's newest reading taken by T. Counts the copies early values make of a state. */
    static final class Sum implements IndicatorModel<Reading, Readings> {
        private final IndicatorDefinition definition = IndicatorCatalogue.defaults().get("waiting.people_waiting");
        private final boolean replacesByIdentity;
        static final Map<Boolean, Integer> COPIES = new HashMap<>();

        Sum(boolean replacesByIdentity) {
            this.replacesByIdentity = replacesByIdentity;
        }

        @Override
        public boolean replacesByIdentity() {
            return replacesByIdentity;
        }

        @Override
        public Readings emptyState() {
            return new Readings();
        }

        @Override
        public Readings copyOf(Readings state, TypeSerializer<Readings> serializer) {
            COPIES.merge(replacesByIdentity, 1, Integer::sum);
            Readings copy = new Readings();
            copy.byThing = new HashMap<>(state.byThing);
            return copy;
        }

        @Override
        public Collection<Long> apply(Readings state, Reading fact) {
            state.byThing.put(fact.thing, fact);
            return List.of();
        }

        @Override
        public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, Readings state) {
            long sum = state.byThing.values().stream().filter(r -> r.time <= t).mapToLong(r -> r.value).sum();
            return List.of(IndicatorValues.withoutRag(definition, key.asMap(), sum, t, Map.of()));
        }

        /** A reading of zero adds nothing to any sum: forgotten at the daily forgetting. */
        @Override
        public void forgetBefore(Readings state, long horizon) {
            state.byThing.values().removeIf(r -> r.value == 0);
        }

        @Override
        public boolean isEmpty(Readings state) {
            return state.byThing.isEmpty();
        }

        @Override
        public long longestWindowMillis() {
            return 0;
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<DimensionKey, Reading, IndicatorUpdate> harness(boolean kept) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(new Sum(kept), TypeInformation.of(Reading.class), Duration.ofMinutes(1),
                        Duration.ofDays(7))),
                Reading::key, TypeInformation.of(DimensionKey.class));
        h.open();
        return h;
    }

    /** The same input to the aggregator with its early state kept and with it laid over a copy each time. */
    private static final class Both implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<DimensionKey, Reading, IndicatorUpdate> kept = harness(true);
        final KeyedOneInputStreamOperatorTestHarness<DimensionKey, Reading, IndicatorUpdate> laidOver = harness(false);

        Both() throws Exception {
        }

        void send(Reading r) throws Exception {
            kept.processElement(new StreamRecord<>(r, r.time));
            laidOver.processElement(new StreamRecord<>(r, r.time));
        }

        void now(long t) throws Exception {
            kept.setProcessingTime(t);
            laidOver.setProcessingTime(t);
        }

        void watermark(long t) throws Exception {
            kept.processWatermark(t);
            laidOver.processWatermark(t);
        }

        List<String> early(KeyedOneInputStreamOperatorTestHarness<DimensionKey, Reading, IndicatorUpdate> h) {
            return h.extractOutputValues().stream().filter(u -> u.target == IndicatorUpdate.Target.PROVISIONAL)
                    .map(IndicatorUpdate::toString).toList();
        }

        List<String> all(KeyedOneInputStreamOperatorTestHarness<DimensionKey, Reading, IndicatorUpdate> h) {
            return h.extractOutputValues().stream().map(IndicatorUpdate::toString).toList();
        }

        @Override
        public void close() throws Exception {
            kept.close();
            laidOver.close();
        }
    }

    @Test
    void anExactReadingThatDiffersFromItsProvisionalOneTakesItsPlaceWhenTheWatermarkPassesIt() throws Exception {
        long t = BEFORE_MIDNIGHT - 2 * HOUR;
        try (Both both = new Both()) {
            both.now(t);
            both.send(new Reading("E1", "b", t - 10 * MINUTE, 10, false));
            both.watermark(t - 5 * MINUTE);
            both.send(new Reading("E1", "a", t + 10 * SECOND, 5, true));
            both.now(t + 2 * SECOND);
            // The exact reading of a is 7, not 5: it waits under the provisional 5 until the watermark passes it.
            both.send(new Reading("E1", "a", t + 10 * SECOND, 7, false));
            both.now(t + 4 * SECOND);
            both.send(new Reading("E1", "c", t + 20 * SECOND, 1, true));
            both.watermark(t + 15 * SECOND);
            both.now(t + 6 * SECOND);
            both.send(new Reading("E1", "d", t + 30 * SECOND, 100, true));

            List<String> early = both.early(both.kept);
            assertThat(early).as("b 10 + a 5; b 10 + a 5 + c 1; then a's exact 7: 10 + 7 + 1 + d 100").containsExactly(
                    "PROVISIONAL waiting.people_waiting{local_authority=E1} = 15.0 as of " + Instant.ofEpochMilli(t + 10 * SECOND),
                    "PROVISIONAL waiting.people_waiting{local_authority=E1} = 16.0 as of " + Instant.ofEpochMilli(t + 20 * SECOND),
                    "PROVISIONAL waiting.people_waiting{local_authority=E1} = 118.0 as of " + Instant.ofEpochMilli(t + 30 * SECOND));
            assertThat(both.early(both.laidOver)).isEqualTo(early);
        }
    }

    @Test
    void aLiveFlowOfReadingsGivesTheSameEarlyValuesAsLayingThemOverACopyEachTime() throws Exception {
        Sum.COPIES.clear();
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            try (Both both = new Both()) {
                long now = BEFORE_MIDNIGHT;
                long watermark = Long.MIN_VALUE;
                // Events the upstream has seen but its watermark has not passed: their exact readings are still to come.
                List<Reading> coming = new ArrayList<>();
                for (int step = 0; step < 600; step++) {
                    String row = random.nextInt(4) == 0 ? "E2" : "E1";
                    String thing = "t" + random.nextInt(12);
                    long time = now - random.nextInt(30) * SECOND;
                    long value = random.nextInt(7) == 0 ? 0 : 1 + random.nextInt(1000);
                    int kind = random.nextInt(20);
                    if (kind == 0 && watermark != Long.MIN_VALUE) {
                        // A late exact reading, behind the watermark.
                        both.send(new Reading(row, thing, watermark - random.nextInt(600) * SECOND, value, false));
                    } else if (kind == 1) {
                        // An exact reading that came with no provisional one.
                        coming.add(new Reading(row, thing, time, value, false));
                    } else {
                        both.send(new Reading(row, thing, time, value, true));
                        if (kind == 2) {
                            continue; // no exact reading ever comes (the ordered events made no such fact)
                        }
                        // Usually the exact reading is what the provisional one guessed; sometimes not.
                        coming.add(new Reading(row, thing, time, kind == 3 ? value + 1 : value, false));
                    }
                    now += random.nextInt(1500);
                    if (random.nextInt(200) == 0) {
                        now += 2 * HOUR; // a pause: hourly ticks (and a midnight's forgetting) pass
                    }
                    both.now(now);
                    // The upstream's watermark passes events a minute old and it sends their exact readings; this
                    // operator's watermark, the least of its inputs', follows some seconds behind.
                    long upstream = now - MINUTE;
                    coming.sort((a, b) -> Long.compare(a.time, b.time));
                    while (!coming.isEmpty() && coming.get(0).time <= upstream) {
                        both.send(coming.remove(0));
                    }
                    if (random.nextInt(6) == 0 && upstream > watermark) {
                        watermark = upstream;
                        both.watermark(watermark);
                    }
                }
                assertThat(both.early(both.kept)).as("seed %d", seed).hasSizeGreaterThan(300);
                assertThat(both.all(both.kept)).as("seed %d", seed).isEqualTo(both.all(both.laidOver));
            }
        }
        // Kept: a copy when a key's early state is first needed, after a provisional reading with no exact one under
        // it, and after a forgetting; laid over: one at every early write.
        assertThat(Sum.COPIES.get(true)).isLessThan(Sum.COPIES.get(false) / 4);
    }
}
