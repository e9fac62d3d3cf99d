package org.safepath.jobs.primitives;

import java.time.Duration;
import java.time.Instant;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.connectors.elasticsearch.IndicatorDocuments;
import org.safepath.events.ProviderReference;
import org.safepath.records.Alert;
import org.safepath.records.AlertSeverity;
import org.safepath.schemas.IndicatorCatalogue;
import org.safepath.schemas.IndicatorDefinition;

/**
 * Keyed by rule, subject and audience: turns alert candidates into alerts, at most one per cooldown (the rule's
 * {@code cooldown_days} in the catalogue, 7 days by default) unless the alert escalates: its severity rises or its
 * evidence count at least doubles. After the cooldown a condition that merely persists is not raised again; new
 * evidence (a higher count) is. A rule and subject are forgotten a cooldown after the condition was last seen. The id is derived from rule, subject and event time, so a replay raises the
 * same ids. The audience is resolved from the provider reference data (broadcast state, applied from the moment
 * a record arrives): a care home's link worker; or the candidate names its recipient itself (the team that holds
 * a wait), and each recipient is then keyed apart. A subject whose audience cannot be resolved goes to market
 * oversight, flagged with the audience meant; never dropped.
 */
public final class AlertRaiser extends KeyedBroadcastProcessFunction<String, AlertCandidate, ProviderReference, Alert> {

    public static final MapStateDescriptor<String, ProviderReference> PROVIDERS = new MapStateDescriptor<>("providers",
            Types.STRING, TypeInformation.of(ProviderReference.class));

    public static final String LINK_WORKER = "link_worker";
    public static final String MARKET_OVERSIGHT = "market_oversight";
    static final Duration DEFAULT_COOLDOWN = Duration.ofDays(7);

    private final IndicatorCatalogue catalogue;
    private transient ValueState<LastAlert> last;

    /** The last alert raised for a rule and subject, while its cooldown lasts. */
    public static class LastAlert {
        public long raisedAt;
        public int severity;
        public long evidenceCount;
        public long cooldownEnds;
        /** When the rule last called for an alert on the subject (raised or not). */
        public long lastSeen;

        public LastAlert() {
        }
    }

    public AlertRaiser(IndicatorCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The key alerts are raised under: one stream of candidates per rule, subject and audience. */
    public static String key(AlertCandidate c) {
        String key = c.rule + '\u001f' + c.subjectKind + '\u001f' + c.subjectId + '\u001f' + c.audience;
        return c.recipient == null ? key : key + '\u001f' + c.recipient;
    }

    @Override
    public void open(OpenContext context) {
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", LastAlert.class));
    }

    @Override
    public void processBroadcastElement(ProviderReference reference, Context ctx, Collector<Alert> out) throws Exception {
        ctx.getBroadcastState(PROVIDERS).put(reference.getLocationId(), reference);
    }

    @Override
    public void processElement(AlertCandidate c, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        int severity = AlertSeverity.valueOf(c.severity).ordinal();
        LastAlert previous = last.value();
        long cooldown = c.cooldownMillis >= 0 ? c.cooldownMillis : cooldown(c.rule).toMillis();
        if (previous != null && c.raisedAt <= previous.raisedAt) {
            return; // a candidate from before the alert already raised (a late fact) is not news
        }
        boolean raise = previous == null
                // escalation: more serious, or at least twice the evidence
                || severity > previous.severity || c.evidenceCount >= 2 * previous.evidenceCount
                // after the cooldown, only with new evidence: a theme that merely persists is not raised again
                || (c.raisedAt >= previous.cooldownEnds && c.evidenceCount > previous.evidenceCount);
        LastAlert next = previous == null ? new LastAlert() : previous;
        if (raise) {
            next.raisedAt = c.raisedAt;
            next.severity = severity;
            next.evidenceCount = c.evidenceCount;
            next.cooldownEnds = c.raisedAt + cooldown;
            out.collect(alert(c, ctx.getBroadcastState(PROVIDERS)));
        }
        // The rule and subject are forgotten a cooldown after the condition was last seen.
        next.lastSeen = c.raisedAt;
        last.update(next);
        ctx.timerService().registerEventTimeTimer(Math.max(next.cooldownEnds, c.raisedAt + cooldown));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        LastAlert l = last.value();
        if (l == null) {
            return;
        }
        long cooldown = l.cooldownEnds - l.raisedAt;
        if (timestamp >= l.cooldownEnds && timestamp >= l.lastSeen + cooldown) {
            last.clear();
        }
    }

    private Duration cooldown(String rule) {
        IndicatorDefinition d = catalogue.find(rule);
        return d != null && d.parameters().containsKey("cooldown_days") ? d.duration("cooldown_days") : DEFAULT_COOLDOWN;
    }

    static Alert alert(AlertCandidate c, ReadOnlyBroadcastState<String, ProviderReference> providers) throws Exception {
        ProviderReference subject = c.subjectId == null ? null : providers.get(c.subjectId);
        String audience = c.audience;
        String recipient = c.recipient;
        String unresolved = null;
        if (LINK_WORKER.equals(c.audience)) {
            recipient = subject == null ? null : subject.getLinkWorker();
            if (recipient == null || recipient.isBlank()) {
                audience = MARKET_OVERSIGHT;
                unresolved = LINK_WORKER;
                recipient = null;
            }
        }
        return Alert.newBuilder()
                .setAlertId(IndicatorDocuments.hashedId("alert\u001f" + key(c) + '\u001f' + c.raisedAt))
                .setRule(c.rule)
                .setSeverity(AlertSeverity.valueOf(c.severity))
                .setSubjectKind(c.subjectKind)
                .setSubjectId(c.subjectId)
                .setSubjectName(subject == null ? null : subject.getName())
                .setAudience(audience)
                .setRecipient(recipient)
                .setUnresolvedAudience(unresolved)
                .setEvidenceCounts(new java.util.TreeMap<>(c.evidenceCounts))
                .setEvidenceEventIds(new java.util.ArrayList<>(c.evidenceEventIds))
                .setEvidenceDetails(new java.util.TreeMap<>(c.evidenceDetails))
                .setRaisedAt(Instant.ofEpochMilli(c.raisedAt))
                .build();
    }
}
