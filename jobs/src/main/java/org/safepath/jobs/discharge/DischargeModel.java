package org.safepath.jobs.discharge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;

/** The discharge indicators of one (local authority, site, pathway) for the live aggregator. */
public final class DischargeModel implements IndicatorModel<DischargeFact, DischargeState> {

    private final DischargeIndicators indicators;

    public DischargeModel(IndicatorCatalogue catalogue) {
        this.indicators = new DischargeIndicators(catalogue);
    }


    @Override
    public DischargeState emptyState() {
        return new DischargeState();
    }

    @Override
    public Collection<Long> apply(DischargeState state, DischargeFact fact) {
        List<Long> changesAt = new ArrayList<>();
        switch (fact.kind) {
            case EPISODE -> {
                state.replaced(state.episodes.put(fact.episodeId, fact), fact);
                changesAt.addAll(fact.endedAt == null ? indicators.delayThresholdCrossings(fact.readyAt)
                        : indicators.windowExits(fact.endedAt));
            }
            case EPISODE_MOVED_AWAY -> state.replaced(state.episodes.remove(fact.episodeId), null);
            case READMISSION -> {
                state.readmissions.put(fact.readmissionEventId, fact.readmittedAt);
                changesAt.addAll(indicators.windowExits(fact.readmittedAt));
            }
        }
        return changesAt;
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, DischargeState state) {
        EpisodeColumns columns = state.columnsForEvaluation();
        return columns != null ? indicators.asOf(t, key, columns, state.readmissions.values())
                : indicators.asOf(t, key, state.episodes.values(), state.readmissions.values());
    }

    /** An episode's newest fact stands for it (put, or removed when it moved away); a readmission's for it. */
    @Override
    public boolean replacesByIdentity() {
        return true;
    }

    /** Episodes are put and removed, never changed in place: the maps are copied, not every episode in them. */
    @Override
    public DischargeState copyOf(DischargeState state, TypeSerializer<DischargeState> serializer) {
        return state.copy();
    }

    @Override
    public void forgetBefore(DischargeState state, long horizon) {
        state.episodes.values().removeIf(f -> f.endedAt != null && f.endedAt <= horizon);
        if (state.columns != null) {
            state.columns.forgetEndedUpTo(horizon);
        }
        state.readmissions.values().removeIf(t -> t <= horizon);
    }

    @Override
    public boolean isEmpty(DischargeState state) {
        return state.episodes.isEmpty() && state.readmissions.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return indicators.longestWindowMillis();
    }
}
