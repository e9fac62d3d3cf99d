package org.safepath.jobs.primitives;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
 */
public abstract class EventTimeOrderedFunction<K, T extends TrackedEvent, O> extends KeyedProcessFunction<K, T, O> {

    private final TypeInformation<T> eventType;
    private transient MapState<Long, List<T>> pending;

    protected EventTimeOrderedFunction(TypeInformation<T> eventType) {
        this.eventType = eventType;
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

    /** A timer the subclass registered itself (the pending timers are handled above). */
    protected void onTime(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
    }
}
