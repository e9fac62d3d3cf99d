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
 * <p>A generator that has seen no event at all never follows the clock, so history published after the job started
 * is still read in event time. It holds the stream for {@link #EMPTY_PARTITION_GRACE} (or {@code quietAfter}, if
 * longer), then marks itself idle, once: an empty partition (and the reader's main output, which split-aware
 * sources never write to) does not hold the stream back for ever. The grace is there because nothing tells an
 * empty partition from one whose first fetch is slow, and a partition marked idle whose history then arrives is
 * overtaken by its siblings: its events would be late.
 *
 * <p>Flink does not checkpoint generators: after a restore every partition is one that has seen no event.
 * {@link EventTimeKeeper} carries the source's event time across the restart.
 */
public final class LiveClockWatermarks<T> implements WatermarkGenerator<T> {

    /** How long a partition that has seen no event holds the stream before it calls itself idle. */
    static final Duration EMPTY_PARTITION_GRACE = Duration.ofMinutes(2);

    private final long outOfOrderness;
    private final long quietAfter;
    private final long emptyFor;
    private final long caughtUpWithin;
    private final LongSupplier clock;
    private long newestEvent = Long.MIN_VALUE;
    private long lastEventAt;
    private boolean followingClock;
    private boolean markedIdle;

    public LiveClockWatermarks(Duration outOfOrderness, Duration quietAfter, Duration caughtUpWithin, LongSupplier clock) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.quietAfter = quietAfter.toMillis();
        this.emptyFor = Math.max(this.quietAfter, EMPTY_PARTITION_GRACE.toMillis());
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
            // Once only: Flink marks a reader idle when its main output and its splits all are, and keeps the splits'
            // idle flag from start-up; a main output marking itself idle again and again would idle a reader whose
            // split has since become active, and the stream would run ahead of that split's history.
            if (now - lastEventAt >= emptyFor && !markedIdle) {
                output.markIdle();
                markedIdle = true;
            }
            return;
        }
        if (quiet && now - newestEvent <= caughtUpWithin) {
            // Once caught up, it stays so: a quiet night or a pause in a backfill is time passing. (A watermark never
            // goes back, so a backfill into a live topic is applied as late events, within the allowed lateness.)
            followingClock = true;
        }
        // Nothing has happened after now: an event dated ahead of the clock (a wrong clock upstream, a date typed in the
        // future) waits in state for its time, and does not carry the stream into the future, where every real event
        // would be late.
        long fromEvents = Math.min(newestEvent, now) - outOfOrderness - 1;
        output.emitWatermark(new Watermark(followingClock && quiet ? Math.max(fromEvents, now - outOfOrderness - 1) : fromEvents));
    }
}
