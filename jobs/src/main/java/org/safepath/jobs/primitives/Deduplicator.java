package org.safepath.jobs.primitives;

import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.safepath.records.DeadLetterReason;

/**
 * Keyed by event id: lets the first copy of an event through, counts the others as duplicates, and
 * dead-letters an event later than the allowed lateness behind the watermark (TOO_LATE), so nothing is
 * dropped silently. The seen-marker expires after {@code memory}, which must exceed how long a source can
 * redeliver.
 */
public final class Deduplicator<T extends TrackedEvent> extends KeyedProcessFunction<String, T, T> {

    private final Duration allowedLateness;
    private final Duration memory;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;
    private transient Counter tooLate;

    public Deduplicator(Duration allowedLateness, Duration memory) {
        this.allowedLateness = allowedLateness;
        this.memory = memory;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(memory)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(descriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        tooLate = getRuntimeContext().getMetricGroup().counter("tooLateEvents");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && event.occurredAt() < watermark - allowedLateness.toMillis()) {
            tooLate.inc();
            ctx.output(DeadLetters.TAG, event.deadLetter(DeadLetterReason.TOO_LATE, "occurred_at "
                    + java.time.Instant.ofEpochMilli(event.occurredAt()) + " is more than " + allowedLateness.toDays()
                    + " days behind the stream (watermark " + java.time.Instant.ofEpochMilli(watermark) + ")"));
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(event);
    }
}
