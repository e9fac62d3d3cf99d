package org.safepath.jobs.safeguarding;

import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by concern: follows a concern from receipt through screening, and tells the aggregators what it is as
 * soon as an event arrives (each fact says where the concern stands, so the order facts arrive in does not
 * matter to the values). A screening that arrives before its receipt waits for it; one whose receipt never comes
 * within the allowed lateness is dead-lettered, as is a second receipt or screening of the same concern. The
 * concern is forgotten once screened and past every window.
 */
public final class ConcernTracker extends KeyedProcessFunction<String, SafeguardingEvent, SafeguardingFact> {

    private final long keepMillis;
    private final long allowedLatenessMillis;
    private transient ValueState<ConcernState> concern;

    /** Where a concern stands. A Flink POJO. */
    public static class ConcernState {
        public SafeguardingFact received;
        /** A screening whose receipt has not arrived yet. */
        public SafeguardingEvent screeningWaiting;
        public Long screenedAt;
        public boolean section42;

        public ConcernState() {
        }
    }

    /** {@code keep}: the longest window a concern counts in (90 days); {@code allowedLateness}: how long a receipt may lag. */
    public ConcernTracker(Duration keep, Duration allowedLateness) {
        this.keepMillis = keep.toMillis();
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    public static String key(SafeguardingEvent e) {
        return e.localAuthority + '\u001f' + e.concernId;
    }

    @Override
    public void open(OpenContext context) {
        concern = getRuntimeContext().getState(new ValueStateDescriptor<>("concern", ConcernState.class));
    }

    @Override
    public void processElement(SafeguardingEvent e, Context ctx, Collector<SafeguardingFact> out) throws Exception {
        ConcernState c = concern.value();
        if (c == null) {
            c = new ConcernState();
        }
        switch (e.type) {
            case CONCERN_RECEIVED -> {
                if (c.received != null) {
                    ctx.output(DeadLetters.TAG, e.deadLetter(DeadLetterReason.OUT_OF_ORDER,
                            "Concern already received (event " + c.received.receivedEventId + "); a second receipt is not applied"));
                    return;
                }
                c.received = receivedFact(e);
                if (c.screeningWaiting != null) {
                    c.screenedAt = c.screeningWaiting.occurredAt;
                    c.section42 = "SECTION_42_ENQUIRY".equals(c.screeningWaiting.screeningDecision);
                    c.screeningWaiting = null;
                }
                if (c.received.cqcLocationId != null) {
                    out.collect(c.received.as(SafeguardingFact.Kind.AT_CARE_HOME));
                }
                out.collect(c.received.as(SafeguardingFact.Kind.BY_LOCATION));
                out.collect(status(c, e.occurredAt));
            }
            case CONCERN_SCREENED -> {
                if (c.screenedAt != null || c.screeningWaiting != null) {
                    ctx.output(DeadLetters.TAG, e.deadLetter(DeadLetterReason.OUT_OF_ORDER,
                            "Concern already screened; a second screening is not applied"));
                    return;
                }
                if (c.received == null) {
                    c.screeningWaiting = e;
                    // The receipt may still come within the allowed lateness; after that the screening is dead-lettered.
                    ctx.timerService().registerEventTimeTimer(e.occurredAt + allowedLatenessMillis);
                } else {
                    c.screenedAt = e.occurredAt;
                    c.section42 = "SECTION_42_ENQUIRY".equals(e.screeningDecision);
                    out.collect(status(c, e.occurredAt));
                }
            }
            default -> {
                // ENQUIRY_CONCLUDED: no indicator counts it yet; applied as it stands.
            }
        }
        concern.update(c);
        if (c.received != null && c.screenedAt != null) {
            ctx.timerService().registerEventTimeTimer(forgetAt(c));
        }
    }

    private long forgetAt(ConcernState c) {
        return Math.max(c.received.receivedAt + keepMillis, c.screenedAt) + allowedLatenessMillis;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SafeguardingFact> out) throws Exception {
        ConcernState c = concern.value();
        if (c == null) {
            return;
        }
        if (c.received == null && c.screeningWaiting != null && timestamp >= c.screeningWaiting.occurredAt + allowedLatenessMillis) {
            ctx.output(DeadLetters.TAG, c.screeningWaiting.deadLetter(DeadLetterReason.OUT_OF_ORDER,
                    "Screening of a concern never received within the allowed lateness"));
            concern.clear();
        } else if (c.received != null && c.screenedAt != null && timestamp >= forgetAt(c)) {
            concern.clear();
        }
    }

    private static SafeguardingFact receivedFact(SafeguardingEvent e) {
        SafeguardingFact f = new SafeguardingFact();
        f.localAuthority = e.localAuthority;
        f.concernId = e.concernId;
        f.receivedEventId = e.eventId;
        f.receivedAt = e.occurredAt;
        f.cqcLocationId = e.cqcLocationId;
        f.typeOfRisk = e.typeOfRisk;
        f.locationOfRisk = e.locationOfRisk;
        f.factTime = e.occurredAt;
        return f;
    }

    private static SafeguardingFact status(ConcernState c, long factTime) {
        SafeguardingFact f = c.received.as(SafeguardingFact.Kind.STATUS);
        f.screenedAt = c.screenedAt;
        f.section42 = c.section42;
        f.factTime = factTime;
        return f;
    }
}
