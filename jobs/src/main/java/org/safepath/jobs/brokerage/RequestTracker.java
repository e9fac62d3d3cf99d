package org.safepath.jobs.brokerage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.jobs.primitives.DeadLetters;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by request: follows a brokerage request from REQUESTED through RESPONDED, ESCALATED, SOURCED or CANCELLED,
 * and after each event tells the aggregators where the request stands. Events that arrive before their REQUESTED
 * wait for it (dead-lettered if it never comes within the allowed lateness); a second end (sourced or cancelled) is
 * dead-lettered. The request is forgotten once ended and past every window.
 */
public final class RequestTracker extends KeyedProcessFunction<String, BrokerageEvent, RequestFact> {

    private final long keepMillis;
    private final long allowedLatenessMillis;
    private transient ValueState<RequestState> request;

    /** The request as known so far. A Flink POJO. */
    public static class RequestState {
        public RequestFact request;
        public List<BrokerageEvent> waiting = new ArrayList<>();

        public RequestState() {
        }
    }

    public RequestTracker(Duration keep, Duration allowedLateness) {
        this.keepMillis = keep.toMillis();
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    public static String key(BrokerageEvent e) {
        return e.localAuthority + '\u001f' + e.requestId;
    }

    @Override
    public void open(OpenContext context) {
        request = getRuntimeContext().getState(new ValueStateDescriptor<>("request", RequestState.class));
    }

    @Override
    public void processElement(BrokerageEvent e, Context ctx, Collector<RequestFact> out) throws Exception {
        RequestState s = request.value();
        if (s == null) {
            s = new RequestState();
        }
        if (s.request == null && !e.type.equals("REQUESTED")) {
            s.waiting.add(e);
            ctx.timerService().registerEventTimeTimer(e.occurredAt + allowedLatenessMillis);
            request.update(s);
            return;
        }
        if (e.type.equals("REQUESTED")) {
            if (s.request != null) {
                ctx.output(DeadLetters.TAG, e.deadLetter(DeadLetterReason.OUT_OF_ORDER, "Request already received; a second REQUESTED is not applied"));
                return;
            }
            RequestFact r = new RequestFact();
            r.localAuthority = e.localAuthority;
            r.requestId = e.requestId;
            r.requestedAt = e.occurredAt;
            r.packageType = e.packageType;
            r.area = e.area;
            r.urgencySince.add(e.occurredAt);
            r.urgencies.add(e.urgency);
            s.request = r;
            List<BrokerageEvent> earlier = s.waiting;
            s.waiting = new ArrayList<>();
            earlier.sort(java.util.Comparator.comparingLong(BrokerageEvent::occurredAt).thenComparing(BrokerageEvent::eventId));
            for (BrokerageEvent w : earlier) {
                apply(w, s.request, ctx);
            }
        } else {
            apply(e, s.request, ctx);
        }
        s.request.factTime = e.occurredAt;
        request.update(s);
        tell(s.request, out);
        if (s.request.endedAt != null) {
            ctx.timerService().registerEventTimeTimer(s.request.endedAt + keepMillis + allowedLatenessMillis);
        }
    }

    private static void apply(BrokerageEvent e, RequestFact r, Context ctx) {
        switch (e.type) {
            case "RESPONDED" -> {
                if (r.respondedAt == null || e.occurredAt < r.respondedAt) {
                    r.respondedAt = e.occurredAt;
                }
            }
            case "ESCALATED" -> org.safepath.jobs.primitives.Timelines.put(r.urgencySince, r.urgencies, e.occurredAt, e.urgency);
            case "SOURCED", "CANCELLED" -> {
                if (r.endedAt != null) {
                    ctx.output(DeadLetters.TAG, e.deadLetter(DeadLetterReason.OUT_OF_ORDER,
                            "Request already " + (r.sourcedAt != null ? "sourced" : "cancelled") + "; " + e.type + " is not applied"));
                    return;
                }
                r.endedAt = e.occurredAt;
                if (e.type.equals("SOURCED")) {
                    r.sourcedAt = e.occurredAt;
                }
            }
            default -> {
            }
        }
    }

    private static void tell(RequestFact r, Collector<RequestFact> out) {
        for (String urgency : new LinkedHashSet<>(r.urgencies)) {
            out.collect(r.as(RequestFact.Kind.OPEN, urgency));
        }
        out.collect(r.as(RequestFact.Kind.UNSOURCED, null));
        out.collect(r.as(RequestFact.Kind.RESPONSE, null));
        if (r.sourcedAt != null) {
            out.collect(r.as(RequestFact.Kind.SOURCING, null));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RequestFact> out) throws Exception {
        RequestState s = request.value();
        if (s == null) {
            return;
        }
        if (s.request == null) {
            for (BrokerageEvent w : s.waiting) {
                ctx.output(DeadLetters.TAG, w.deadLetter(DeadLetterReason.OUT_OF_ORDER,
                        "No REQUESTED for this request within the allowed lateness"));
            }
            request.clear();
        } else if (s.request.endedAt != null && timestamp >= s.request.endedAt + keepMillis + allowedLatenessMillis) {
            request.clear();
        }
    }
}
