package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class LiveClockWatermarksTest {

    private static final long NOON = 1_774_958_400_000L;
    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;

    private static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idleMarks;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            idleMarks++;
        }

        @Override
        public void markActive() {
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }

    private final AtomicLong clock = new AtomicLong(NOON);
    private final Recorder out = new Recorder();

    /** One minute of out-of-orderness, quiet after 30 s, caught up when the newest event is within a day of the clock. */
    private LiveClockWatermarks<String> partition() {
        return new LiveClockWatermarks<>(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofDays(1), clock::get);
    }

    @Test
    void whileEventsFlowTheWatermarkIsTheirTimeLessTheOutOfOrdernessAndACaughtUpQuietPartitionFollowsTheClock() {
        LiveClockWatermarks<String> generator = partition();
        generator.onEvent("ready", NOON - 10 * MINUTE, out);
        clock.addAndGet(10_000);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOON - 11 * MINUTE - 1);

        // Nothing for 30 seconds after an event of ten minutes ago: nothing happened in the ward, time moves with the clock.
        clock.addAndGet(30_000);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);

        // A quiet night: the clock keeps carrying it, hours after the last event.
        clock.addAndGet(8 * 60 * MINUTE);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);
    }

    @Test
    void anEventDatedInTheFutureDoesNotCarryTheStreamPastTheClock() {
        LiveClockWatermarks<String> generator = partition();
        generator.onEvent("ready", NOON - 10 * MINUTE, out);
        // A record dated ten days ahead (a wrong clock upstream, or a date typed in the future): it is applied when its
        // time comes, and meanwhile the stream's time stays at the clock, so the next real events are not late.
        generator.onEvent("closure notice", NOON + 10 * DAY, out);
        clock.addAndGet(10_000);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);
        clock.addAndGet(60 * MINUTE);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);
    }

    @Test
    void aBacklogBeingReadIsNeverOvertakenByTheClockEvenWhenItsReadingPauses() {
        LiveClockWatermarks<String> generator = partition();
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(1_000);
            generator.onEvent("old", NOON - 30 * DAY + i * MINUTE, out);
            generator.onPeriodicEmit(out);
        }
        // The reader stalls for five minutes in the middle of the history (a slow downstream, a rebalance).
        clock.addAndGet(5 * MINUTE);
        generator.onPeriodicEmit(out);
        assertThat(out.watermarks).allMatch(w -> w < NOON - 29 * DAY);
        assertThat(out.last()).isEqualTo(NOON - 30 * DAY + 99 * MINUTE - MINUTE - 1);
    }

    @Test
    void aPartitionThatHasSeenNoEventIsIdleInsteadOfFollowingTheClockSoHistoryPublishedLaterIsStillOnTime() {
        LiveClockWatermarks<String> generator = partition();
        clock.addAndGet(45_000);
        generator.onPeriodicEmit(out);
        // Quiet for longer than the idleness, but it may only be slow to fetch: it holds the stream a while longer.
        assertThat(out.watermarks).isEmpty();
        assertThat(out.idleMarks).isZero();
        clock.addAndGet(LiveClockWatermarks.EMPTY_PARTITION_GRACE.toMillis());
        generator.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
        assertThat(out.idleMarks).isEqualTo(1);
        // Said once: the reader's main output, which never sees an event, must not idle the reader again later.
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(200);
            generator.onPeriodicEmit(out);
        }
        assertThat(out.idleMarks).isEqualTo(1);

        // Thirty days of history arrive a minute after the job started: they are read in event time, none is late.
        clock.addAndGet(15_000);
        generator.onEvent("history", NOON - 30 * DAY, out);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(NOON - 30 * DAY - MINUTE - 1);
    }

    @Test
    void onceCaughtUpAPartitionKeepsFollowingTheClockThroughTheNightAndThePausesOfALaterBackfill() {
        LiveClockWatermarks<String> generator = partition();
        generator.onEvent("live", NOON, out);
        clock.addAndGet(31_000);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);

        // Two days without an event: still caught up, time goes on.
        clock.addAndGet(2 * DAY);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);

        // A backfill of last week, read with a pause: the watermark never goes back (those events are late) and,
        // in the pause, goes on with the clock.
        generator.onEvent("backfill", NOON - 5 * DAY, out);
        clock.addAndGet(40_000);
        generator.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(clock.get() - MINUTE - 1);
    }
}
