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
 * Keyed by rule and subject: turns alert candidates into alerts, at most one per cooldown (the rule's
 * {@code cooldown_days} in the catalogue, 7 days by default) unless the alert escalates: its severity rises or its
 * evidence count at least doubles. The id is derived from rule, subject and event time, so a replay raises the
 * same ids. The audience is resolved from the provider reference data (broadcast state, applied from the moment
 * a record arrives): a care home's link worker. A subject whose audience cannot be resolved goes to market
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

        public LastAlert() {
        }
    }

    public AlertRaiser(IndicatorCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The key alerts are raised under: one stream of candidates per rule and subject. */
    public static String key(AlertCandidate c) {
        return c.rule + '\u001f' + c.subjectKind + '\u001f' + c.subjectId;
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
        boolean coolingDown = previous != null && c.raisedAt < previous.cooldownEnds;
        boolean escalates = previous != null && (severity > previous.severity || c.evidenceCount >= 2 * previous.evidenceCount);
        if (coolingDown && !escalates) {
            return;
        }
        if (previous != null && c.raisedAt <= previous.raisedAt) {
            return; // a candidate from before the alert already raised (a late fact) is not news
        }
        LastAlert raised = new LastAlert();
        raised.raisedAt = c.raisedAt;
        raised.severity = severity;
        raised.evidenceCount = c.evidenceCount;
        raised.cooldownEnds = c.raisedAt + cooldown(c.rule).toMillis();
        last.update(raised);
        ctx.timerService().registerEventTimeTimer(raised.cooldownEnds);
        out.collect(alert(c, ctx.getBroadcastState(PROVIDERS)));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        LastAlert l = last.value();
        if (l != null && l.cooldownEnds <= timestamp) {
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
        String recipient = null;
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
                .setRaisedAt(Instant.ofEpochMilli(c.raisedAt))
                .build();
    }
}
