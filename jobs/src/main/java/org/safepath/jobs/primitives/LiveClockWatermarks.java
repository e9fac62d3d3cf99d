package org.safepath.jobs.primitives;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for one partition of a live source. While events flow, the watermark is their time less the
 * out-of-orderness. A partition that has been quiet for {@code quietAfter} follows the clock (less the
 * out-of-orderness) only once it is caught up: its newest event happened within {@code caughtUpWithin} of the
 * clock. A live source's events happen about now, so a quiet hour on a caught-up partition is an hour in which
 * nothing happened, and a 21-day threshold is crossed on time at night. A partition reading history or a
 * backlog is never overtaken by the clock, whatever pauses its reading has: that would turn the rest of the
 * history into late events and, past the allowed lateness, into dead letters. Once caught up, it stays so.
 *
 * <p>A generator that has seen no event at all marks itself idle once quiet, so an empty partition (and the
 * reader's main output, which split-aware sources never write to) neither holds the stream back nor pushes it
 * to the clock: history published after the job started is still read in event time.
 */
public final class LiveClockWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrderness;
    private final long quietAfter;
    private final long caughtUpWithin;
    private final LongSupplier clock;
    private long newestEvent = Long.MIN_VALUE;
    private long lastEventAt;
    private boolean followingClock;

    public LiveClockWatermarks(Duration outOfOrderness, Duration quietAfter, Duration caughtUpWithin, LongSupplier clock) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.quietAfter = quietAfter.toMillis();
        this.caughtUpWithin = caughtUpWithin.toMillis();
        this.clock = clock;
        this.lastEventAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return;
        }
        newestEvent = Math.max(newestEvent, eventTimestamp);
        lastEventAt = clock.getAsLong();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        boolean quiet = now - lastEventAt >= quietAfter;
        if (newestEvent == Long.MIN_VALUE) {
            if (quiet) {
                output.markIdle();
            }
            return;
        }
        if (quiet && now - newestEvent <= caughtUpWithin) {
            // Once caught up, it stays so: a quiet night or a pause in a backfill is time passing. (A watermark never
            // goes back, so a backfill into a live topic is applied as late events, within the allowed lateness.)
            followingClock = true;
        }
        long fromEvents = newestEvent - outOfOrderness - 1;
        output.emitWatermark(new Watermark(followingClock && quiet ? Math.max(fromEvents, now - outOfOrderness - 1) : fromEvents));
    }
}
