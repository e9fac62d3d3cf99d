package org.safepath.jobs.transitions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * The transitions indicators of INDICATORS.md for one authority, with age as of T from the birth month (00:00
 * Europe/London on the first of it): young people identified and aged 14 to 25 (from the 14th birthday to the 26th),
 * those aged 17.5 or more with no adult request received, and those aged 18 or more with no completed adult
 * assessment. Each birthday that matters is an instant the values change at, with no event.
 */
public final class TransitionsModel implements IndicatorModel<TransitionFact, TransitionsModel.State> {

    private final IndicatorDefinition tracked;
    private final IndicatorDefinition noRequest;
    private final IndicatorDefinition noAssessment;
    private final double minAge;
    private final double maxAge;
    private final double requestAge;
    private final double assessmentAge;

    /** An authority's young people by identification. A Flink POJO. */
    public static class State {
        public Map<String, TransitionFact> people = new HashMap<>();

        public State() {
        }
    }

    public TransitionsModel(IndicatorCatalogue catalogue) {
        this.tracked = catalogue.get("transitions.tracked");
        this.noRequest = catalogue.get("transitions.no_adult_request_at_17_5");
        this.noAssessment = catalogue.get("transitions.no_assessment_at_18");
        this.minAge = tracked.parameter("min_age");
        this.maxAge = tracked.parameter("max_age");
        this.requestAge = noRequest.parameter("age");
        this.assessmentAge = noAssessment.parameter("age");
    }

    @Override
    public State emptyState() {
        return new State();
    }

    @Override
    public Collection<Long> apply(State s, TransitionFact f) {
        s.people.put(f.identifiedEventId, f);
        return List.of(f.identifiedAt, f.reaches(minAge), f.reaches(requestAge), f.reaches(assessmentAge), f.reaches(maxAge + 1));
    }

    /** Identified by T and aged 14 to 25 as of T (25 included: until the 26th birthday). */
    boolean trackedAt(TransitionFact f, long t) {
        return f.identifiedAt <= t && f.reaches(minAge) <= t && t < f.reaches(maxAge + 1);
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
        long inTransition = 0;
        long withoutRequest = 0;
        long withoutAssessment = 0;
        for (TransitionFact f : s.people.values()) {
            if (!trackedAt(f, t)) {
                continue;
            }
            inTransition++;
            if (f.reaches(requestAge) <= t && (f.requestAt == null || f.requestAt > t)) {
                withoutRequest++;
            }
            if (f.reaches(assessmentAge) <= t && (f.assessedAt == null || f.assessedAt > t)) {
                withoutAssessment++;
            }
        }
        Map<String, String> dims = key.asMap();
        List<IndicatorValue> values = new ArrayList<>();
        values.add(IndicatorValues.of(tracked, dims, inTransition, t, Map.of()));
        values.add(IndicatorValues.of(noRequest, dims, withoutRequest, t, Map.of()));
        values.add(IndicatorValues.of(noAssessment, dims, withoutAssessment, t, Map.of()));
        return values;
    }

    @Override
    public void forgetBefore(State s, long horizon) {
        s.people.values().removeIf(f -> f.reaches(maxAge + 1) <= horizon);
    }

    @Override
    public boolean isEmpty(State s) {
        return s.people.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return 0;
    }
}
