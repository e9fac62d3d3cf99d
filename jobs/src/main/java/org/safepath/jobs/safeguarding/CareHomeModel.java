package org.safepath.jobs.safeguarding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.primitives.AlertRaiser;
import org.safepath.jobs.primitives.DimensionKey;
import org.safepath.jobs.primitives.IndicatorModel;
import org.safepath.jobs.primitives.IndicatorValues;
import org.safepath.jobs.primitives.RollingCounter;
import org.safepath.records.IndicatorValue;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * One care home (authority, CQC location): concerns received in the last 90 days by type of risk (a rolling
 * bucketed counter per type), and the theme of INDICATORS.md: within (T − 30d, T], at least 3 concerns of one type
 * or at least 5 of any type, which calls for an alert to the home's link worker with the concerns as evidence.
 */
public final class CareHomeModel implements IndicatorModel<SafeguardingFact, CareHomeModel.State> {

    public static final String THEME_RULE = "safeguarding.care_home_theme";
    /** The type-of-risk value of a home's all-types theme row. */
    public static final String ALL_TYPES = "ALL";
    static final long MINUTE = 60_000L;

    /** A concern the theme window may still count. */
    public static class Recent {
        public String eventId;
        public String typeOfRisk;
        public long receivedAt;

        public Recent() {
        }
    }

    /** The home's counters by type of risk, and its recent concerns by concern id. A Flink POJO. */
    public static class State {
        public Map<String, RollingCounter> byType = new HashMap<>();
        public Map<String, Recent> recent = new HashMap<>();

        public State() {
        }
    }

    private final IndicatorDefinition concerns90;
    private final IndicatorDefinition theme;
    /** The windows in millis, worked out once: the theme's is asked for each recent concern at every evaluation. */
    private final long concernsWindowMillis;
    private final long themeWindowMillis;

    public CareHomeModel(IndicatorCatalogue catalogue) {
        this.concerns90 = catalogue.get("safeguarding.concerns_90d");
        this.theme = catalogue.get(THEME_RULE);
        this.concernsWindowMillis = concerns90.windowMillis();
        this.themeWindowMillis = theme.windowMillis();
    }


    @Override
    public State emptyState() {
        return new State();
    }

    @Override
    public long resolutionMillis() {
        return MINUTE;
    }

    @Override
    public Collection<Long> apply(State s, SafeguardingFact f) {
        if (s.recent.containsKey(f.concernId)) {
            return List.of();
        }
        RollingCounter counter = s.byType.computeIfAbsent(f.typeOfRisk, t -> new RollingCounter(MINUTE));
        counter.add(f.receivedAt, 1);
        Recent r = new Recent();
        r.eventId = f.receivedEventId;
        r.typeOfRisk = f.typeOfRisk;
        r.receivedAt = f.receivedAt;
        s.recent.put(f.concernId, r);
        return List.of(counter.exitAt(f.receivedAt, concernsWindowMillis), f.receivedAt + themeWindowMillis);
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
        List<IndicatorValue> values = new ArrayList<>();
        Map<String, Long> inTheme = themeCounts(t, s);
        long total = 0;
        for (String type : new java.util.TreeSet<>(s.byType.keySet())) {
            Map<String, String> dims = key.with("type_of_risk", type).asMap();
            values.add(IndicatorValues.of(concerns90, dims, s.byType.get(type).count(t, concernsWindowMillis), t, Map.of()));
            long n = inTheme.getOrDefault(type, 0L);
            total += n;
            values.add(IndicatorValues.of(theme, dims, n, t, Map.of()));
        }
        values.add(IndicatorValues.of(theme, key.with("type_of_risk", ALL_TYPES).asMap(), total, t, Map.of()));
        return values;
    }

    private Map<String, Long> themeCounts(long t, State s) {
        Map<String, Long> counts = new TreeMap<>();
        for (Recent r : s.recent.values()) {
            if (inThemeWindow(r, t)) {
                counts.merge(r.typeOfRisk, 1L, Long::sum);
            }
        }
        return counts;
    }

    private boolean inThemeWindow(Recent r, long t) {
        return r.receivedAt > t - themeWindowMillis && r.receivedAt <= t;
    }

    @Override
    public boolean raisesAlerts() {
        return true;
    }

    @Override
    public List<AlertCandidate> alertsAsOf(long t, DimensionKey key, State s) {
        Map<String, Long> counts = themeCounts(t, s);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long sameType = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long evidence = Math.max(sameType >= theme.parameter("same_type_threshold") ? sameType : 0,
                total >= theme.parameter("any_type_threshold") ? total : 0);
        if (evidence == 0) {
            return List.of();
        }
        AlertCandidate a = new AlertCandidate();
        a.rule = THEME_RULE;
        a.severity = "HIGH";
        a.subjectKind = "care_home";
        a.subjectId = key.get("cqc_location_id");
        a.audience = AlertRaiser.LINK_WORKER;
        a.evidenceCount = evidence;
        a.evidenceCounts.putAll(counts);
        a.evidenceCounts.put("total", total);
        s.recent.values().stream().filter(r -> inThemeWindow(r, t))
                .sorted(Comparator.comparingLong((Recent r) -> r.receivedAt).thenComparing(r -> r.eventId))
                .forEach(r -> a.evidenceEventIds.add(r.eventId));
        a.raisedAt = t;
        return List.of(a);
    }

    @Override
    public void forgetBefore(State s, long horizon) {
        s.byType.values().forEach(c -> c.forgetBefore(horizon));
        s.byType.values().removeIf(RollingCounter::isEmpty);
        s.recent.values().removeIf(r -> r.receivedAt <= horizon);
    }

    @Override
    public boolean isEmpty(State s) {
        return s.byType.isEmpty() && s.recent.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return Math.max(concernsWindowMillis, themeWindowMillis);
    }
}
