package org.safepath.jobs.brokerage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.jobs.primitives.AlertCandidate;
import org.safepath.jobs.providers.ProviderConcern;

/**
 * Keyed by provider location: the control the seeds say must not fail. A SOURCED request naming a provider whose
 * suspension is in force at that moment calls for a critical alert to brokerage and to market oversight. Decided
 * when the watermark passes the sourcing, so a suspension recorded a little after it (within the out-of-orderness)
 * still counts, and a replay decides the same.
 */
public final class SuspendedProviderCheck extends KeyedCoProcessFunction<String, ProviderConcern, BrokerageEvent, AlertCandidate> {

    public static final String RULE = "brokerage.commissioned_from_suspended_provider";

    private final long allowedLatenessMillis;
    private transient ValueState<Timeline> timeline;

    /** A suspension: from its start until lifted (null while in force). */
    public static class Suspension {
        public Long start;
        public Long end;
        public long sourcedDuring;

        public Suspension() {
        }
    }

    /**
     * The location's suspensions, the times suspensions were lifted, and the sourcings not yet decided. Each may
     * arrive before the others: a suspension is in force at t if it started by t and was neither closed nor lifted
     * since. A Flink POJO.
     */
    public static class Timeline {
        public Map<String, Suspension> suspensions = new HashMap<>();
        public List<Long> lifts = new ArrayList<>();
        public List<BrokerageEvent> sourced = new ArrayList<>();

        public Timeline() {
        }
    }

    public SuspendedProviderCheck(Duration allowedLateness) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        timeline = getRuntimeContext().getState(new ValueStateDescriptor<>("timeline", Timeline.class));
    }

    private Timeline current() throws Exception {
        Timeline t = timeline.value();
        return t == null ? new Timeline() : t;
    }

    @Override
    public void processElement1(ProviderConcern c, Context ctx, Collector<AlertCandidate> out) throws Exception {
        Timeline t = current();
        if (c.kind.equals("SUSPENSION_STARTED")) {
            Suspension s = t.suspensions.computeIfAbsent(c.concernId, id -> new Suspension());
            if (c.closed) {
                s.end = s.end == null ? c.occurredAt : Math.min(s.end, c.occurredAt);
            } else {
                s.start = c.occurredAt;
            }
        } else if (c.kind.equals("SUSPENSION_LIFTED")) {
            t.lifts.add(c.occurredAt);
        } else {
            return;
        }
        ctx.timerService().registerEventTimeTimer(c.occurredAt + allowedLatenessMillis);
        timeline.update(t);
    }

    @Override
    public void processElement2(BrokerageEvent sourced, Context ctx, Collector<AlertCandidate> out) throws Exception {
        Timeline t = current();
        t.sourced.add(sourced);
        timeline.update(t);
        ctx.timerService().registerEventTimeTimer(sourced.occurredAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertCandidate> out) throws Exception {
        Timeline t = timeline.value();
        if (t == null) {
            return;
        }
        List<BrokerageEvent> due = new ArrayList<>(t.sourced.stream().filter(e -> e.occurredAt <= timestamp).toList());
        due.sort(Comparator.comparingLong(BrokerageEvent::occurredAt).thenComparing(BrokerageEvent::eventId));
        t.sourced.removeAll(due);
        for (BrokerageEvent e : due) {
            for (Suspension s : t.suspensions.values()) {
                if (inForce(s, t.lifts, e.occurredAt)) {
                    s.sourcedDuring++;
                    for (String audience : List.of("brokerage", "market_oversight")) {
                        out.collect(candidate(ctx.getCurrentKey(), e, s, audience));
                    }
                    break;
                }
            }
        }
        // Forget what can no longer decide a sourcing: suspensions ended (closed or lifted) more than the lateness ago.
        t.suspensions.values().removeIf(s -> {
            Long ended = endOf(s, t.lifts);
            return ended != null && ended + allowedLatenessMillis <= timestamp;
        });
        t.lifts.removeIf(l -> l + allowedLatenessMillis <= timestamp && t.suspensions.values().stream()
                .noneMatch(s -> s.start != null && s.start <= l));
        if (t.suspensions.isEmpty() && t.sourced.isEmpty() && t.lifts.isEmpty()) {
            timeline.clear();
        } else {
            timeline.update(t);
        }
    }

    static boolean inForce(Suspension s, List<Long> lifts, long t) {
        if (s.start == null || s.start > t) {
            return false;
        }
        Long ended = endOf(s, lifts);
        return ended == null || t < ended;
    }

    /** When a suspension ended: closed, or the first lift after its start; null while in force. */
    static Long endOf(Suspension s, List<Long> lifts) {
        Long end = s.end;
        if (s.start != null) {
            for (long l : lifts) {
                if (l >= s.start && (end == null || l < end)) {
                    end = l;
                }
            }
        }
        return end;
    }

    private static AlertCandidate candidate(String location, BrokerageEvent sourced, Suspension s, String audience) {
        AlertCandidate a = new AlertCandidate();
        a.rule = RULE;
        a.severity = "CRITICAL";
        a.subjectKind = "provider";
        a.subjectId = location;
        a.audience = audience;
        a.evidenceCount = s.sourcedDuring;
        a.evidenceCounts.put("requests_sourced_during_suspension", s.sourcedDuring);
        a.evidenceEventIds.add(sourced.eventId);
        a.raisedAt = sourced.occurredAt;
        // The control that must not fail: every commissioning from a suspended provider is raised, no cooldown.
        a.cooldownMillis = 0;
        return a;
    }
}
