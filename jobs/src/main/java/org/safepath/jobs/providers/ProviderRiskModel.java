package org.safepath.jobs.providers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
 * One provider location for market oversight (INDICATORS.md, "Providers"): open quality concerns, suspension in
 * force, safeguarding concerns per 10 beds over 90 days, and the risk score with every component that made it.
 * Everything is as of T: the reference data and ratings in force at T, the concerns open at T.
 * Alerts market oversight when the score turns red, or rises by 20 or more within 30 days.
 */
public final class ProviderRiskModel implements IndicatorModel<ProviderFact, ProviderRiskModel.State> {

    public static final String RULE = "provider.risk_score";
    static final long MINUTE = 60_000L;
    static final long DAY = 86_400_000L;
    /** Concern kinds that count as open quality concerns (5 points each, up to 20). */
    static final Set<String> QUALITY = Set.of("QUALITY_CONCERN", "COMPLAINT", "WHISTLEBLOWING", "CONTRACT_BREACH", "ENFORCEMENT_ACTION");

    /** Reference data in force from a time. */
    public static class Reference {
        public long from;
        public String localAuthority;
        public int beds;
        public String cqcOverall;
        public String pammsRating;
        public int careStaff;
        public int sponsoredWorkers;

        public Reference() {
        }
    }

    /**
     * A concern or notice open from {@code openedAt} until {@code closedAt} (null while open). Either end may arrive
     * first: a closing that comes before its opening is kept until the opening does.
     */
    public static class Item {
        public String kind;
        public Long openedAt;
        public Long closedAt;

        public Item() {
        }

        boolean openAt(long t) {
            return openedAt != null && openedAt <= t && (closedAt == null || closedAt > t);
        }
    }

    /** A Flink POJO. */
    public static class State {
        public List<Reference> references = new ArrayList<>();
        /** Published CQC ratings: time to rating. */
        public Map<Long, String> ratings = new HashMap<>();
        public Map<String, Item> items = new HashMap<>();
        public RollingCounter safeguarding = new RollingCounter(MINUTE);
        public Map<String, Long> safeguardingSeen = new HashMap<>();
        public String reportingAuthority;
        /** When suspensions were lifted: a suspension started before a lift is not in force after it. */
        public List<Long> lifts = new ArrayList<>();

        public State() {
        }
    }

    private final IndicatorDefinition openConcerns;
    private final IndicatorDefinition suspended;
    private final IndicatorDefinition perBeds;
    private final IndicatorDefinition score;
    private static final long RISE_WINDOW = 30 * DAY;
    private static final double RISE = 20;

    public ProviderRiskModel(IndicatorCatalogue catalogue) {
        this.openConcerns = catalogue.get("provider.open_concerns");
        this.suspended = catalogue.get("provider.suspended");
        this.perBeds = catalogue.get("provider.safeguarding_per_10_beds_90d");
        this.score = catalogue.get(RULE);
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
    public Collection<Long> apply(State s, ProviderFact f) {
        switch (f.kind) {
            case REFERENCE -> {
                Reference r = new Reference();
                r.from = f.factTime;
                r.localAuthority = f.localAuthority;
                r.beds = f.beds;
                r.cqcOverall = f.cqcOverall;
                r.pammsRating = f.pammsRating;
                r.careStaff = f.careStaff;
                r.sponsoredWorkers = f.sponsoredWorkers;
                s.references.removeIf(x -> x.from == r.from);
                s.references.add(r);
                s.references.sort(java.util.Comparator.comparingLong(x -> x.from));
            }
            case CONCERN -> {
                if (s.reportingAuthority == null) {
                    s.reportingAuthority = f.localAuthority;
                }
                if (f.concernKind.equals("CQC_RATING_PUBLISHED")) {
                    s.ratings.put(f.factTime, f.cqcRating);
                } else if (f.concernKind.equals("SUSPENSION_LIFTED")) {
                    if (!s.lifts.contains(f.factTime)) {
                        s.lifts.add(f.factTime);
                    }
                } else {
                    Item i = s.items.computeIfAbsent(f.concernId, id -> new Item());
                    i.kind = f.concernKind;
                    if (f.closed) {
                        i.closedAt = i.closedAt == null ? f.factTime : Math.min(i.closedAt, f.factTime);
                    } else {
                        i.openedAt = f.factTime;
                    }
                }
            }
            case SAFEGUARDING -> {
                if (s.safeguardingSeen.putIfAbsent(f.concernId, f.factTime) == null) {
                    s.safeguarding.add(f.factTime, 1);
                    return List.of(s.safeguarding.exitAt(f.factTime, perBeds.windowMillis()));
                }
            }
        }
        return List.of();
    }

    private static Reference referenceAt(State s, long t) {
        Reference in = null;
        for (Reference r : s.references) {
            if (r.from <= t) {
                in = r;
            }
        }
        return in;
    }

    private static String cqcAt(State s, long t) {
        Reference r = referenceAt(s, t);
        long since = r == null ? Long.MIN_VALUE : r.from;
        String rating = r == null ? null : r.cqcOverall;
        for (Map.Entry<Long, String> published : new java.util.TreeMap<>(s.ratings).entrySet()) {
            if (published.getKey() <= t && published.getKey() >= since) {
                rating = published.getValue();
            }
        }
        return rating;
    }

    private boolean open(State s, long t, String kind) {
        return s.items.values().stream().anyMatch(i -> i.kind.equals(kind) && i.openAt(t)
                && !(kind.equals("SUSPENSION_STARTED") && liftedBetween(s, i.openedAt, t)));
    }

    private static boolean liftedBetween(State s, long from, long to) {
        return s.lifts.stream().anyMatch(l -> l >= from && l <= to);
    }

    /** The score's components as of t, by name; the score is their sum, capped at 100. */
    Map<String, Double> components(State s, long t) {
        Map<String, Double> c = new LinkedHashMap<>();
        Reference r = referenceAt(s, t);
        String cqc = cqcAt(s, t);
        c.put("cqc_rating", "INADEQUATE".equals(cqc) ? 40.0 : "REQUIRES_IMPROVEMENT".equals(cqc) ? 20.0 : 0.0);
        String pamms = r == null ? null : r.pammsRating;
        c.put("pamms_rating", "POOR".equals(pamms) ? 20.0 : "REQUIRES_IMPROVEMENT".equals(pamms) ? 10.0 : 0.0);
        c.put("suspension", open(s, t, "SUSPENSION_STARTED") ? 30.0 : 0.0);
        c.put("open_quality_concerns", Math.min(20.0, 5.0 * openQualityConcerns(s, t)));
        c.put("safeguarding_per_10_beds", Math.min(20.0, 10 * perTenBeds(s, t)));
        double sponsorship = open(s, t, "SPONSORSHIP_LICENCE_SUSPENDED") || open(s, t, "SPONSORSHIP_LICENCE_REVOKED") ? 25.0
                : r != null && r.careStaff > 0 && r.sponsoredWorkers > 0.3 * r.careStaff ? 10.0 : 0.0;
        c.put("sponsorship", sponsorship);
        c.put("business_continuity", open(s, t, "BUSINESS_CONTINUITY_RISK") ? 20.0 : 0.0);
        c.put("closure_notice", open(s, t, "CLOSURE_NOTICE") ? 40.0 : 0.0);
        return c;
    }

    double scoreAt(State s, long t) {
        return Math.min(100.0, components(s, t).values().stream().mapToDouble(Double::doubleValue).sum());
    }

    private long openQualityConcerns(State s, long t) {
        return s.items.values().stream().filter(i -> QUALITY.contains(i.kind) && i.openAt(t)).count();
    }

    private double perTenBeds(State s, long t) {
        Reference r = referenceAt(s, t);
        long concerns = s.safeguarding.count(t, perBeds.windowMillis());
        return r == null || r.beds <= 0 ? 0 : concerns * 10.0 / r.beds;
    }

    private String authority(State s, long t) {
        Reference r = referenceAt(s, t);
        if (r == null && !s.references.isEmpty()) {
            r = s.references.get(0);
        }
        return r != null ? r.localAuthority : s.reportingAuthority != null ? s.reportingAuthority : "UNKNOWN";
    }

    @Override
    public List<IndicatorValue> valuesAsOf(long t, DimensionKey key, State s) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("local_authority", authority(s, t));
        dims.put("provider_location_id", key.get("provider_location_id"));
        Map<String, Double> components = components(s, t);
        double total = Math.min(100.0, components.values().stream().mapToDouble(Double::doubleValue).sum());
        return List.of(
                IndicatorValues.of(openConcerns, dims, openQualityConcerns(s, t), t, Map.of()),
                IndicatorValues.of(suspended, dims, open(s, t, "SUSPENSION_STARTED") ? 1 : 0, t, Map.of()),
                IndicatorValues.of(perBeds, dims, perTenBeds(s, t), t, Map.of()),
                IndicatorValues.of(score, dims, total, t, components));
    }

    /** The lowest score in (t − 30 days, t], counting only from when the location's reference data was known. */
    private double lowestWithin(State s, long t) {
        double lowest = scoreAt(s, t);
        long known = s.references.isEmpty() ? t : s.references.get(0).from;
        for (long at : instantsWithin(s, Math.max(t - RISE_WINDOW, known - 1), t)) {
            lowest = Math.min(lowest, scoreAt(s, at));
        }
        return lowest;
    }

    @Override
    public boolean raisesAlerts() {
        return true;
    }

    @Override
    public List<AlertCandidate> alertsAsOf(long t, DimensionKey key, State s) {
        if (referenceAt(s, t - MINUTE) == null) {
            return List.of(); // a score is only news once the location's reference data is known
        }
        double now = scoreAt(s, t);
        double before = scoreAt(s, t - MINUTE);
        if (now <= before) {
            // Nothing rose in the last minute: no new red, and the 30-day low can only have gone up, so no new jump.
            return List.of();
        }
        boolean turnedRed = now >= score.red() && before < score.red();
        double lowest = lowestWithin(s, t);
        // Edge-triggered: the rise is news when it happens, not at every evaluation while it lasts.
        boolean rose = now - lowest >= RISE && !(before - lowestWithin(s, t - MINUTE) >= RISE);
        if (!turnedRed && !rose) {
            return List.of();
        }
        AlertCandidate a = new AlertCandidate();
        a.rule = RULE;
        a.severity = now >= score.red() ? "HIGH" : "WARNING";
        a.subjectKind = "provider";
        a.subjectId = key.get("provider_location_id");
        a.audience = AlertRaiser.MARKET_OVERSIGHT;
        a.evidenceCount = Math.round(now);
        a.evidenceCounts.put("score", Math.round(now));
        a.evidenceCounts.put("lowest_score_30d", Math.round(lowest));
        components(s, t).forEach((name, points) -> a.evidenceCounts.put(name, Math.round(points)));
        s.items.entrySet().stream().filter(e -> e.getValue().openAt(t)).map(Map.Entry::getKey).sorted().forEach(a.evidenceEventIds::add);
        a.raisedAt = t;
        return List.of(a);
    }

    /** The instants in (from, to) at which the score may have changed, rounded up to whole minutes, and from itself. */
    private static Set<Long> instantsWithin(State s, long from, long to) {
        Set<Long> at = new TreeSet<>();
        at.add(RollingCounter.roundUp(from + 1, MINUTE));
        List<Long> times = new ArrayList<>();
        s.references.forEach(r -> times.add(r.from));
        times.addAll(s.ratings.keySet());
        s.items.values().forEach(i -> {
            if (i.openedAt != null) {
                times.add(i.openedAt);
            }
            if (i.closedAt != null) {
                times.add(i.closedAt);
            }
        });
        times.addAll(s.lifts);
        s.safeguardingSeen.values().forEach(times::add);
        for (long t : times) {
            long m = RollingCounter.roundUp(t, MINUTE);
            if (m > from && m < to) {
                at.add(m);
            }
        }
        return at;
    }

    @Override
    public void forgetBefore(State s, long horizon) {
        s.items.values().removeIf(i -> i.closedAt != null && i.closedAt <= horizon);
        // A lift is needed while a suspension started before it may still be open.
        s.lifts.removeIf(l -> l <= horizon && s.items.values().stream().noneMatch(i -> i.kind.equals("SUSPENSION_STARTED")
                && i.openedAt != null && i.openedAt <= l));
        s.safeguarding.forgetBefore(horizon);
        s.safeguardingSeen.values().removeIf(t -> t <= horizon);
        s.ratings.keySet().removeIf(t -> t <= horizon && s.ratings.keySet().stream().anyMatch(u -> u > t && u <= horizon));
    }

    @Override
    public boolean isEmpty(State s) {
        // Reference data keeps a location's values alive: a provider stays on the market oversight view.
        return s.references.isEmpty() && s.items.isEmpty() && s.safeguarding.isEmpty() && s.ratings.isEmpty() && s.lifts.isEmpty();
    }

    @Override
    public long longestWindowMillis() {
        return Math.max(perBeds.windowMillis(), RISE_WINDOW);
    }
}
