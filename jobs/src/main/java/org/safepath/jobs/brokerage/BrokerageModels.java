package org.safepath.jobs.brokerage;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.jobs.primitives.LondonCalendar;
import org.safepath.jobs.primitives.Median;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/** The brokerage indicators of INDICATORS.md, each over the requests told to its key (by request id). */
public final class BrokerageModels {

    static final long HOUR = 3_600_000L;

    private BrokerageModels() {
    }

    /** A key's requests by id. A Flink POJO. */
    public static class State {
        public Map<String, RequestFact> requests = new HashMap<>();

        public State() {
        }
    }

    /** What the four models share: the state, applying a fact (the newest picture of a request wins), forgetting. */
    abstract static class Requests implements IndicatorModel<RequestFact, State> {
        final IndicatorDefinition definition;

        Requests(IndicatorCatalogue catalogue, String id) {
            this.definition = catalogue.get(id);
        }


        @Override
        public State emptyState() {
            return new State();
        }

        /** Requests are put, never changed in place: the early values' copy is of the map, not of every request. */
        @Override
        public State copyOf(State s, TypeSerializer<State> serializer) {
            State copy = new State();
            copy.requests = new HashMap<>(s.requests);
            return copy;
        }

        @Override
        public Collection<Long> apply(State s, RequestFact f) {
            s.requests.put(f.requestId, f);
            return changesAt(f);
        }

        abstract Collection<Long> changesAt(RequestFact f);

        @Override
        public void forgetBefore(State s, long horizon) {
            s.requests.values().removeIf(r -> r.endedAt != null && r.endedAt <= horizon && r.requestedAt <= horizon);
        }

        @Override
        public boolean isEmpty(State s) {
            return s.requests.isEmpty();
        }

        @Override
        public long longestWindowMillis() {
            return definition.parameters().containsKey("window_days") ? definition.windowMillis() : 0;
        }

        List<IndicatorValue> one(DimensionKey key, double value, long t, Map<String, Double> components) {
            return List.of(IndicatorValues.of(definition, key.asMap(), value, t, components));
        }
    }

    /** {@code brokerage.open_requests}: open as of T under the key's urgency (an escalation moves a request as of its time). */
    public static final class OpenRequests extends Requests {
        public OpenRequests(IndicatorCatalogue catalogue) {
            super(catalogue, "brokerage.open_requests");
        }

        @Override
        Collection<Long> changesAt(RequestFact f) {
            return List.of();
        }

        @Override
        public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
            String urgency = key.get("urgency");
            long open = s.requests.values().stream().filter(r -> r.openAt(t) && urgency.equals(r.urgencyAt(t))).count();
            return one(key, open, t, Map.of());
        }
    }

    /** {@code brokerage.unsourced_over_72h}: open with T − requested >= 72h, crossed with no event. */
    public static final class Unsourced extends Requests {
        private final long threshold;

        public Unsourced(IndicatorCatalogue catalogue) {
            super(catalogue, "brokerage.unsourced_over_72h");
            this.threshold = definition.duration("threshold_hours").toMillis();
        }

        @Override
        Collection<Long> changesAt(RequestFact f) {
            return List.of(f.requestedAt + threshold);
        }

        @Override
        public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
            return one(key, s.requests.values().stream().filter(r -> r.openAt(t) && t - r.requestedAt >= threshold).count(), t, Map.of());
        }
    }

    /** {@code brokerage.same_day_response_rate_7d}: of requests in (T − 7d, T], the share responded to on their London day. */
    public static final class SameDayResponse extends Requests {
        public SameDayResponse(IndicatorCatalogue catalogue) {
            super(catalogue, "brokerage.same_day_response_rate_7d");
        }

        @Override
        Collection<Long> changesAt(RequestFact f) {
            return List.of(f.requestedAt + definition.windowMillis());
        }

        @Override
        public void forgetBefore(State s, long horizon) {
            s.requests.values().removeIf(r -> r.requestedAt <= horizon);
        }

        @Override
        public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
            long window = definition.windowMillis();
            long requests = 0;
            long sameDay = 0;
            for (RequestFact r : s.requests.values()) {
                if (r.requestedAt > t - window && r.requestedAt <= t) {
                    requests++;
                    if (r.respondedAt != null && r.respondedAt <= t && LondonCalendar.sameDay(r.requestedAt, r.respondedAt)) {
                        sameDay++;
                    }
                }
            }
            return one(key, requests == 0 ? 0 : sameDay / (double) requests, t,
                    Map.of("requests", (double) requests, "responded_same_day", (double) sameDay));
        }
    }

    /** {@code brokerage.median_hours_to_source_28d}: over requests sourced in (T − 28d, T]. */
    public static final class HoursToSource extends Requests {
        public HoursToSource(IndicatorCatalogue catalogue) {
            super(catalogue, "brokerage.median_hours_to_source_28d");
        }

        @Override
        Collection<Long> changesAt(RequestFact f) {
            return f.sourcedAt == null ? List.of() : List.of(f.sourcedAt + definition.windowMillis());
        }

        @Override
        public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
            long window = definition.windowMillis();
            double[] hours = new double[s.requests.size()];
            int sourced = 0;
            for (RequestFact r : s.requests.values()) {
                if (r.sourcedAt != null && r.sourcedAt > t - window && r.sourcedAt <= t) {
                    hours[sourced++] = (r.sourcedAt - r.requestedAt) / (double) HOUR;
                }
            }
            return one(key, Median.of(hours, sourced), t, Map.of("sample_size", (double) sourced));
        }
    }
}
