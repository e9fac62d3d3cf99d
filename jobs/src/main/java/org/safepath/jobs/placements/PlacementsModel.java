package org.safepath.jobs.placements;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/** {@code placements.out_of_area} for one (placing authority, host authority): people with a service open there as of T. */
public final class PlacementsModel implements IndicatorModel<PlacementFact, PlacementsModel.State> {

    private final IndicatorDefinition outOfArea;

    /** The row's placements by their start. A Flink POJO. */
    public static class State {
        public Map<String, PlacementFact> placements = new HashMap<>();

        public State() {
        }
    }

    public PlacementsModel(IndicatorCatalogue catalogue) {
        this.outOfArea = catalogue.get("placements.out_of_area");
    }

    @Override
    public State emptyState() {
        return new State();
    }

    /** A placement's newest fact stands for it. */
    @Override
    public boolean replacesByIdentity() {
        return true;
    }

    @Override
    public Collection<Long> apply(State s, PlacementFact f) {
        s.placements.put(f.startEventId, f);
        return List.of();
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
        Set<String> people = new HashSet<>();
        for (PlacementFact f : s.placements.values()) {
            if (f.openAt(t)) {
                people.add(f.personRef);
            }
        }
        return List.of(IndicatorValues.of(outOfArea, key.asMap(), people.size(), t, Map.of()));
    }

    @Override
    public void forgetBefore(State s, long horizon) {
        s.placements.values().removeIf(f -> f.endedAt != null && f.endedAt <= horizon);
    }

    @Override
    public boolean isEmpty(State s) {
        return s.placements.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return 0;
    }
}
