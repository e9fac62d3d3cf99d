package org.safepath.jobs.primitives;

import java.io.Serializable;
import java.util.Map;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.safepath.schemas.IndicatorCatalogue;

/** Counts each fact under its own key and under the catalogue's roll-up keys of its domain (e.g. pathway → ALL). */
public final class RollUps<F> implements FlatMapFunction<F, F> {

    /** The same fact counted under the key with one dimension set to another value. */
    @FunctionalInterface
    public interface Relabel<F> extends Serializable {
        F under(F fact, String dimension, String value);
    }

    private final Map<String, String> rollUps;
    private final Relabel<F> relabel;

    private RollUps(Map<String, String> rollUps, Relabel<F> relabel) {
        this.rollUps = Map.copyOf(rollUps);
        this.relabel = relabel;
    }

    public static <F> RollUps<F> of(IndicatorCatalogue catalogue, String domain, Relabel<F> relabel) {
        return new RollUps<>(catalogue.rollUps(domain), relabel);
    }

    @Override
    public void flatMap(F fact, Collector<F> out) {
        out.collect(fact);
        rollUps.forEach((dimension, value) -> out.collect(relabel.under(fact, dimension, value)));
    }
}
