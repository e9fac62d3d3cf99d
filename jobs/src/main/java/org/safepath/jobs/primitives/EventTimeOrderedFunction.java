package org.safepath.jobs.primitives;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Hands a key's events to {@link #onEvent} in event-time order: an event waits in state until the watermark
 * passes its time, so a discharge that arrives before its Discharge Ready Date is still seen after it. An
 * event already behind the watermark (late, within the allowed lateness) is handled at once.
 *
 * <p>Early results: a recent event (within {@code earlyWithin} of the clock) does not wait silently. The key's
 * waiting events are also handed, in event-time order, to {@link #onEarly}, which may emit provisional results
 * from a copy of the key's state; the exact results follow when the watermark passes, and correct the
 * provisional ones where an event arrived out of order. {@code earlyWithin} of zero turns this off (backtests).
 */
public abstract class EventTimeOrderedFunction<K, T extends TrackedEvent, O> extends KeyedProcessFunction<K, T, O> {

    private final TypeInformation<T> eventType;
    private final long earlyWithinMillis;
    private transient MapState<Long, List<T>> pending;

    protected EventTimeOrderedFunction(TypeInformation<T> eventType, long earlyWithinMillis) {
        this.eventType = eventType;
        this.earlyWithinMillis = earlyWithinMillis;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.LIST(eventType)));
    }

    @Override
    public final void processElement(T event, Context ctx, Collector<O> out) throws Exception {
        if (event.occurredAt() <= ctx.timerService().currentWatermark()) {
            onEvent(event, ctx, out);
            return;
        }
        List<T> atTime = pending.get(event.occurredAt());
        if (atTime == null) {
            atTime = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(event.occurredAt());
        }
        atTime.add(event);
        pending.put(event.occurredAt(), atTime);
        if (earlyWithinMillis > 0 && ctx.timerService().currentProcessingTime() - event.occurredAt() <= earlyWithinMillis) {
            onEarly(waitingInOrder(), ctx, out);
        }
    }

    private List<T> waitingInOrder() throws Exception {
        List<Map.Entry<Long, List<T>>> entries = new ArrayList<>();
        pending.entries().forEach(entries::add);
        entries.sort(Map.Entry.comparingByKey());
        List<T> inOrder = new ArrayList<>();
        for (Map.Entry<Long, List<T>> e : entries) {
            List<T> atTime = new ArrayList<>(e.getValue());
            atTime.sort(Comparator.comparing(TrackedEvent::eventId));
            inOrder.addAll(atTime);
        }
        return inOrder;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        List<T> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            // Same instant: order by id so a replay applies them in the same order.
            due.sort(Comparator.comparing(TrackedEvent::eventId));
            for (T event : due) {
                onEvent(event, ctx, out);
            }
        }
        onTime(timestamp, ctx, out);
    }

    /** One event, in event-time order. */
    protected abstract void onEvent(T event, Context ctx, Collector<O> out) throws Exception;

    /**
     * Every event of the key still waiting for the watermark, in event-time order, right after a recent one
     * arrived: emit what they provisionally change, without touching the key's state or raising dead letters.
     */
    protected void onEarly(List<T> waiting, Context ctx, Collector<O> out) throws Exception {
    }

    /** A timer the subclass registered itself (the pending timers are handled above). */
    protected void onTime(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
    }
}
