package org.safepath.jobs.waiting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.jobs.primitives.Median;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * The waiting-list indicators of INDICATORS.md for one (local authority, team, waiting for, priority): open waits
 * whose priority as of T is the row's, how many are at or past the priority's threshold (the council's own, or
 * High 7, Medium 28, Low 84 days), their median wait in days, and the ADASS bands (under 6 weeks, 6-11, 12-23,
 * 24+). A wait is measured from when it was added, whatever its priority did since; it crosses its threshold and
 * its bands at their instants, with no event.
 */
public final class WaitingModel implements IndicatorModel<WaitFact, WaitingModel.State> {

    static final long DAY = 86_400_000L;
    static final long WEEK = 7 * DAY;
    /** The lower edges of the bands, in weeks: under 6, 6-11, 12-23, 24+. */
    static final int[] BAND_FROM_WEEKS = {0, 6, 12, 24};
    static final String[] BANDS = {"waiting.band_under_6_weeks", "waiting.band_6_to_11_weeks", "waiting.band_12_to_23_weeks",
            "waiting.band_24_plus_weeks"};

    private final IndicatorDefinition waiting;
    private final IndicatorDefinition overThreshold;
    private final IndicatorDefinition median;
    private final IndicatorDefinition[] bands = new IndicatorDefinition[BANDS.length];

    /** A row's waits by id. A Flink POJO. */
    public static class State {
        public Map<String, WaitFact> waits = new HashMap<>();

        public State() {
        }
    }

    public WaitingModel(IndicatorCatalogue catalogue) {
        this.waiting = catalogue.get("waiting.people_waiting");
        this.overThreshold = catalogue.get("waiting.over_threshold");
        this.median = catalogue.get("waiting.median_wait_days");
        for (int i = 0; i < BANDS.length; i++) {
            bands[i] = catalogue.get(BANDS[i]);
        }
    }

    /** How long a wait of this priority may last in this council before it is over its threshold. */
    public long thresholdMillis(String priority, String localAuthority) {
        return overThreshold.duration(priority.toLowerCase(java.util.Locale.ROOT) + "_days", localAuthority).toMillis();
    }

    @Override
    public State emptyState() {
        return new State();
    }

    /** Waits are put, never changed in place: the early values' copy is of the map, not of every wait in it. */
    /** A wait's newest fact stands for it. */
    @Override
    public boolean replacesByIdentity() {
        return true;
    }

    @Override
    public State copyOf(State s, TypeSerializer<State> serializer) {
        State copy = new State();
        copy.waits = new HashMap<>(s.waits);
        return copy;
    }

    @Override
    public Collection<Long> apply(State s, WaitFact f) {
        s.waits.put(f.waitId, f);
        List<Long> changes = new ArrayList<>();
        changes.add(f.addedAt + thresholdMillis(f.keyPriority, f.localAuthority));
        for (int weeks : BAND_FROM_WEEKS) {
            if (weeks > 0) {
                changes.add(f.addedAt + weeks * WEEK);
            }
        }
        changes.addAll(f.prioritySince);
        if (f.removedAt != null) {
            changes.add(f.removedAt);
        }
        return changes;
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
        String priority = key.get("priority");
        long threshold = thresholdMillis(priority, key.get("local_authority"));
        int open = 0;
        long over = 0;
        long[] inBand = new long[BANDS.length];
        double[] days = new double[s.waits.size()];
        for (WaitFact w : s.waits.values()) {
            if (!w.openAt(t) || !priority.equals(w.priorityAt(t))) {
                continue;
            }
            long waited = t - w.addedAt;
            days[open++] = waited / (double) DAY;
            if (waited >= threshold) {
                over++;
            }
            int band = 0;
            for (int i = 0; i < BAND_FROM_WEEKS.length; i++) {
                if (waited >= BAND_FROM_WEEKS[i] * WEEK) {
                    band = i;
                }
            }
            inBand[band]++;
        }
        Map<String, String> dims = key.asMap();
        List<IndicatorValue> values = new ArrayList<>();
        values.add(IndicatorValues.of(waiting, dims, open, t, Map.of()));
        values.add(IndicatorValues.of(overThreshold, dims, over, t, Map.of("threshold_days", threshold / (double) DAY)));
        values.add(IndicatorValues.of(median, dims, Median.of(days, open), t,
                Map.of("sample_size", (double) open)));
        for (int i = 0; i < BANDS.length; i++) {
            values.add(IndicatorValues.of(bands[i], dims, inBand[i], t, Map.of()));
        }
        return values;
    }

    @Override
    public void forgetBefore(State s, long horizon) {
        s.waits.values().removeIf(w -> w.removedAt != null && w.removedAt <= horizon);
    }

    @Override
    public boolean isEmpty(State s) {
        return s.waits.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return 0;
    }
}
