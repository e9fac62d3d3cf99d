package org.safepath.jobs.safeguarding;

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
 * One local authority's concerns and where each stands: concerns not screened 24 hours after receipt, and the
 * share of concerns received in the last 90 days and screened whose decision was a Section 42 enquiry.
 */
public final class AuthorityModel implements IndicatorModel<SafeguardingFact, AuthorityModel.State> {

    /** Where one concern stands. */
    public static class Status {
        public long receivedAt;
        public Long screenedAt;
        public boolean section42;

        public Status() {
        }
    }

    /** The authority's concerns by concern id. A Flink POJO. */
    public static class State {
        public Map<String, Status> concerns = new HashMap<>();

        public State() {
        }
    }

    private final IndicatorDefinition unscreened;
    private final IndicatorDefinition conversion;

    public AuthorityModel(IndicatorCatalogue catalogue) {
        this.unscreened = catalogue.get("safeguarding.unscreened_over_24h");
        this.conversion = catalogue.get("safeguarding.s42_conversion_90d");
    }


    @Override
    public State emptyState() {
        return new State();
    }

    @Override
    public Collection<Long> apply(State s, SafeguardingFact f) {
        Status status = new Status();
        status.receivedAt = f.receivedAt;
        status.screenedAt = f.screenedAt;
        status.section42 = f.section42;
        s.concerns.put(f.concernId, status);
        return List.of(f.receivedAt + unscreened.duration("threshold_hours").toMillis(), f.receivedAt + conversion.windowMillis());
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
        long threshold = unscreened.duration("threshold_hours").toMillis();
        long window = conversion.windowMillis();
        long waiting = 0;
        long screened = 0;
        long section42 = 0;
        for (Status c : s.concerns.values()) {
            boolean screenedByT = c.screenedAt != null && c.screenedAt <= t;
            if (c.receivedAt <= t - threshold && !screenedByT) {
                waiting++;
            }
            if (c.receivedAt > t - window && c.receivedAt <= t && screenedByT) {
                screened++;
                if (c.section42) {
                    section42++;
                }
            }
        }
        Map<String, String> dims = key.asMap();
        return List.of(
                IndicatorValues.of(unscreened, dims, waiting, t, Map.of()),
                IndicatorValues.of(conversion, dims, screened == 0 ? 0 : section42 / (double) screened, t,
                        Map.of("screened", (double) screened, "section_42", (double) section42)));
    }

    @Override
    public void forgetBefore(State s, long horizon) {
        // A concern never screened still counts as waiting, however old.
        s.concerns.values().removeIf(c -> c.receivedAt <= horizon && c.screenedAt != null && c.screenedAt <= horizon);
    }

    @Override
    public boolean isEmpty(State s) {
        return s.concerns.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return conversion.windowMillis();
    }
}
