package org.safepath.jobs.primitives;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for a live source: event time with bounded out-of-orderness while events flow, and, once a
 * partition has been quiet for {@code quietAfter}, the clock less the out-of-orderness. A live source's events
 * happen about now, so a quiet hour is an hour in which nothing happened: without this, a 21-day threshold
 * or a window's end would wait for the next event. Not for replays of the past (the backtest uses plain event time).
 */
public final class LiveClockWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrderness;
    private final long quietAfter;
    private final LongSupplier clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;

    public LiveClockWatermarks(Duration outOfOrderness, Duration quietAfter, LongSupplier clock) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.quietAfter = quietAfter.toMillis();
        this.clock = clock;
        this.lastEventAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp != Long.MIN_VALUE) {
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
            lastEventAt = clock.getAsLong();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        long fromEvents = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrderness - 1;
        long watermark = now - lastEventAt >= quietAfter ? Math.max(fromEvents, now - outOfOrderness - 1) : fromEvents;
        if (watermark != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
