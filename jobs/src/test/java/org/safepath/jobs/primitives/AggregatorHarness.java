package org.safepath.jobs.primitives;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * A domain model on the live aggregator in Flink's operator test harness (1-minute steps, 7 days' lateness), read
 * the way the tests of a timeline read it: the current value of an indicator for a row, as of an instant.
 */
public final class AggregatorHarness<F extends IndicatorFact> implements AutoCloseable {

    private final KeyedOneInputStreamOperatorTestHarness<DimensionKey, F, IndicatorUpdate> h;

    private AggregatorHarness(KeyedOneInputStreamOperatorTestHarness<DimensionKey, F, IndicatorUpdate> h) {
        this.h = h;
    }

    public static <F extends IndicatorFact, S> AggregatorHarness<F> of(IndicatorModel<F, S> model, Class<F> factType) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new LiveIndicatorAggregator<>(model, TypeInformation.of(factType), Duration.ofMinutes(1), Duration.ofDays(7))),
                IndicatorFact::key, TypeInformation.of(DimensionKey.class));
        h.open();
        return new AggregatorHarness<>(h);
    }

    public AggregatorHarness<F> send(Iterable<? extends F> facts) throws Exception {
        for (F f : facts) {
            h.processElement(new StreamRecord<>(f, f.factTime()));
        }
        return this;
    }

    public AggregatorHarness<F> watermark(long t) throws Exception {
        h.processWatermark(t);
        return this;
    }

    /**
     * The exact value of {@code indicator} written as of exactly {@code asOf} (current, or the hour's history) for the
     * row whose dimensions include {@code dimensionsAndValues} (names and values in turn); null when none was written then.
     */
    public Double current(String indicator, long asOf, String... dimensionsAndValues) {
        Double value = null;
        for (IndicatorUpdate u : h.extractOutputValues()) {
            if (!u.exact() || !u.indicator().equals(indicator) || u.asOf() != asOf) {
                continue;
            }
            boolean row = true;
            for (int i = 0; i < dimensionsAndValues.length; i += 2) {
                row &= dimensionsAndValues[i + 1].equals(u.value.getDimensions().get(dimensionsAndValues[i]));
            }
            if (row) {
                value = u.value.getValue();
            }
        }
        return value;
    }

    public int stateEntries() {
        return h.numKeyedStateEntries();
    }

    public int timers() {
        return h.numEventTimeTimers();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
