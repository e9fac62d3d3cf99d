package org.safepath.jobs.safeguarding;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.jobs.primitives.RollingCounter;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/** One (authority, location of risk): concerns received in the last 90 days, on a rolling bucketed counter. */
public final class LocationModel implements IndicatorModel<SafeguardingFact, RollingCounter> {

    private final IndicatorDefinition concerns90;

    public LocationModel(IndicatorCatalogue catalogue) {
        this.concerns90 = catalogue.get("safeguarding.concerns_90d");
    }


    @Override
    public RollingCounter emptyState() {
        return new RollingCounter(CareHomeModel.MINUTE);
    }

    @Override
    public long resolutionMillis() {
        return CareHomeModel.MINUTE;
    }

    @Override
    public Collection<Long> apply(RollingCounter counter, SafeguardingFact f) {
        counter.add(f.receivedAt, 1);
        return List.of(counter.exitAt(f.receivedAt, concerns90.windowMillis()));
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, RollingCounter counter) {
        return List.of(IndicatorValues.of(concerns90, key.asMap(), counter.count(t, concerns90.windowMillis()), t, Map.of()));
    }

    @Override
    public void forgetBefore(RollingCounter counter, long horizon) {
        counter.forgetBefore(horizon);
    }

    @Override
    public boolean isEmpty(RollingCounter counter) {
        return counter.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return concerns90.windowMillis();
    }
}
