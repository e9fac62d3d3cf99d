package org.safepath.jobs.placements;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.jobs.primitives.AlertCandidate;

/**
 * Keyed by provider location: the out-of-area rule of INDICATORS.md. When news arrives about a provider where people
 * are placed out of area (a safeguarding concern, a suspension, an Inadequate rating), each placing team hears it
 * with how many of its people are placed there as of the news. Decided when the watermark passes the news, so a
 * placement recorded a little later still counts; the alert rule's cooldown keeps it to one alert per team a week
 * unless it escalates (a suspension after a concern).
 */
public final class HostNewsCheck extends KeyedCoProcessFunction<String, PlacementFact, HostNews, AlertCandidate> {

    public static final String RULE = "placements.host_provider_news";
    public static final String AUDIENCE = "placing_team";
    /** The team field of a placement that named none. */
    static final String NO_TEAM = "";

    private final long allowedLatenessMillis;
    private transient ValueState<Provider> provider;

    /** The location's out-of-area placements and its news not yet decided. A Flink POJO. */
    public static class Provider {
        public Map<String, PlacementFact> placements = new HashMap<>();
        public List<HostNews> pending = new ArrayList<>();

        public Provider() {
        }
    }

    public HostNewsCheck(Duration allowedLateness) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        provider = getRuntimeContext().getState(new ValueStateDescriptor<>("provider", Provider.class));
    }

    private Provider current() throws Exception {
        Provider p = provider.value();
        return p == null ? new Provider() : p;
    }

    @Override
    public void processElement1(PlacementFact f, Context ctx, Collector<AlertCandidate> out) throws Exception {
        Provider p = current();
        p.placements.put(f.startEventId, f);
        if (f.endedAt != null) {
            ctx.timerService().registerEventTimeTimer(f.endedAt + allowedLatenessMillis);
        }
        provider.update(p);
    }

    @Override
    public void processElement2(HostNews n, Context ctx, Collector<AlertCandidate> out) throws Exception {
        Provider p = current();
        if (n.at <= ctx.timerService().currentWatermark()) {
            decide(n, p, out);
        } else {
            p.pending.add(n);
            ctx.timerService().registerEventTimeTimer(n.at);
        }
        provider.update(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        Provider p = provider.value();
        if (p == null) {
            return;
        }
        List<HostNews> due = new ArrayList<>();
        p.pending.removeIf(n -> n.at <= timestamp && due.add(n));
        due.sort(java.util.Comparator.comparingLong((HostNews n) -> n.at).thenComparing(n -> n.eventId));
        for (HostNews n : due) {
            decide(n, p, out);
        }
        p.placements.values().removeIf(f -> f.endedAt != null && f.endedAt + allowedLatenessMillis <= timestamp);
        if (p.placements.isEmpty() && p.pending.isEmpty()) {
            provider.clear();
        } else {
            provider.update(p);
        }
    }

    /** Each placing team with people placed there as of the news hears it, with how many. */
    private static void decide(HostNews n, Provider p, Collector<AlertCandidate> out) {
        Map<String, Set<String>> peopleByTeam = new TreeMap<>();
        Map<String, String> placingAuthority = new HashMap<>();
        Map<String, String> hostAuthority = new HashMap<>();
        for (PlacementFact f : p.placements.values()) {
            if (f.openAt(n.at)) {
                String team = f.localAuthority + '\u001f' + (f.team == null ? NO_TEAM : f.team);
                peopleByTeam.computeIfAbsent(team, t -> new HashSet<>()).add(f.personRef);
                placingAuthority.put(team, f.localAuthority);
                hostAuthority.put(team, f.hostLocalAuthority);
            }
        }
        for (Map.Entry<String, Set<String>> e : peopleByTeam.entrySet()) {
            String team = e.getKey().substring(e.getKey().indexOf('\u001f') + 1);
            AlertCandidate a = new AlertCandidate();
            a.rule = RULE;
            a.severity = n.severity();
            a.subjectKind = "provider";
            a.subjectId = n.providerLocationId;
            a.audience = AUDIENCE;
            a.recipient = team.isEmpty() ? null : team;
            a.evidenceCount = e.getValue().size();
            a.evidenceCounts.put("people_placed", (long) e.getValue().size());
            a.evidenceDetails.put("news", n.kind.name());
            if (n.typeOfRisk != null) {
                a.evidenceDetails.put("type_of_risk", n.typeOfRisk);
            }
            a.evidenceDetails.put("local_authority", placingAuthority.get(e.getKey()));
            a.evidenceDetails.put("host_local_authority", hostAuthority.get(e.getKey()));
            a.evidenceEventIds.add(n.eventId);
            a.raisedAt = n.at;
            out.collect(a);
        }
    }
}
