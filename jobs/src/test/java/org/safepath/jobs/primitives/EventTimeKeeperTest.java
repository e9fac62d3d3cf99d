package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A source's event time across a restart, with one minute of out-of-orderness, quiet after 30 s and caught up when the
 * newest event is within a day of the clock (the job's defaults but the first). Watermarks are written out by hand: a
 * source whose newest event happened at {@code t} has the watermark {@code t - 1 min - 1 ms}.
 */
class EventTimeKeeperTest {

    private static final long NOON = 1_774_958_400_000L;
    private static final long SECOND = 1_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private static OneInputStreamOperatorTestHarness<String, String> keeper() throws Exception {
        return keeper(1, 0);
    }

    private static OneInputStreamOperatorTestHarness<String, String> keeper(int parallelism, int subtask) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(
                new EventTimeKeeper<String>(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofDays(1)), parallelism, parallelism, subtask);
        h.getExecutionConfig().setAutoWatermarkInterval(SECOND);
        return h;
    }

    /** A job that has read every event, the newest at 11:50, checkpointed at noon. */
    private static OperatorSubtaskState caughtUpAtNoon() throws Exception {
        try (var h = keeper()) {
            h.setProcessingTime(NOON - 20 * MINUTE);
            h.open();
            h.processElement("admitted", NOON - 10 * MINUTE);
            h.processWatermark(NOON - 11 * MINUTE - 1);
            h.setProcessingTime(NOON);
            return h.snapshot(1, NOON);
        }
    }

    private static OneInputStreamOperatorTestHarness<String, String> restoredAt(long now, OperatorSubtaskState state) throws Exception {
        var h = keeper();
        h.setup();
        h.initializeState(state);
        h.setProcessingTime(now);
        h.open();
        return h;
    }

    private static List<Long> watermarks(OneInputStreamOperatorTestHarness<String, String> h) {
        return h.getOutput().stream().filter(Watermark.class::isInstance).map(w -> ((Watermark) w).getTimestamp()).toList();
    }

    private static List<WatermarkStatus> statuses(OneInputStreamOperatorTestHarness<String, String> h) {
        return h.getOutput().stream().filter(WatermarkStatus.class::isInstance).map(WatermarkStatus.class::cast).toList();
    }

    private static void advance(OneInputStreamOperatorTestHarness<String, String> h, long by) throws Exception {
        long end = h.getProcessingTime() + by;
        while (h.getProcessingTime() < end) {
            h.setProcessingTime(Math.min(end, h.getProcessingTime() + SECOND));
        }
    }

    @Test
    void aJobRestoredAfterReadingEveryEventGoesOnInEventTimeWithoutWaitingForANewOne() throws Exception {
        // Restarted at one o'clock, after an hour down in which nothing happened.
        try (var h = restoredAt(NOON + HOUR, caughtUpAtNoon())) {
            advance(h, SECOND);
            assertThat(watermarks(h)).as("the event time it had, at its first tick").containsExactly(NOON - 11 * MINUTE - 1);

            advance(h, 28 * SECOND);
            assertThat(watermarks(h)).hasSize(1);

            // Quiet for 30 s: an hour in which nothing happened, and event time follows the clock.
            advance(h, SECOND);
            assertThat(watermarks(h)).last().isEqualTo(NOON + HOUR + 30 * SECOND - MINUTE - 1);

            // Its partitions, having seen nothing since the restart, call themselves idle; the stream stays active.
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            advance(h, 2 * HOUR);
            assertThat(watermarks(h)).last().isEqualTo(NOON + 3 * HOUR + 30 * SECOND - MINUTE - 1);
            assertThat(statuses(h)).isEmpty();
        }
    }

    @Test
    void aBacklogFromWhileTheJobWasDownIsReadInEventTimeAndOnlyThenDoesTheClockTakeOver() throws Exception {
        try (var h = restoredAt(NOON + HOUR, caughtUpAtNoon())) {
            // The hour's events, read a few a second for two minutes: the watermark is theirs, never the clock's.
            for (int i = 1; i <= 120; i++) {
                h.processElement("discharged", NOON + i * 30 * SECOND);
                h.processWatermark(NOON + i * 30 * SECOND - MINUTE - 1);
                advance(h, SECOND);
            }
            assertThat(watermarks(h)).last().isEqualTo(NOON + HOUR - MINUTE - 1);
            assertThat(watermarks(h)).allMatch(w -> w <= NOON + HOUR - MINUTE - 1);

            advance(h, 30 * SECOND);
            assertThat(watermarks(h)).last().isEqualTo(NOON + HOUR + 150 * SECOND - MINUTE - 1);
        }
    }

    @Test
    void aJobRestoredWhileReadingHistoryWaitsForItsEvents() throws Exception {
        OperatorSubtaskState state;
        try (var h = keeper()) {
            h.setProcessingTime(NOON);
            h.open();
            h.processElement("referred", NOON - 200 * DAY);
            h.processWatermark(NOON - 200 * DAY - MINUTE - 1);
            state = h.snapshot(1, NOON);
        }
        try (var h = restoredAt(NOON + MINUTE, state)) {
            advance(h, 10 * MINUTE);
            assertThat(watermarks(h)).containsExactly(NOON - 200 * DAY - MINUTE - 1);
            // Idle partitions still let the other streams go on.
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(statuses(h)).containsExactly(WatermarkStatus.IDLE);
        }
    }

    @Test
    void aSourceThatNeverSawAnEventNeverFollowsTheClock() throws Exception {
        try (var h = keeper()) {
            h.setProcessingTime(NOON);
            h.open();
            advance(h, 5 * MINUTE);
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            advance(h, 5 * MINUTE);
            assertThat(watermarks(h)).isEmpty();
            assertThat(statuses(h)).containsExactly(WatermarkStatus.IDLE);

            // Restored from that, it is as new: history published later is read in event time.
            OperatorSubtaskState state = h.snapshot(1, h.getProcessingTime());
            try (var restored = restoredAt(NOON + HOUR, state)) {
                advance(restored, 10 * MINUTE);
                assertThat(watermarks(restored)).isEmpty();
            }
        }
    }

    @Test
    void recordsAndTheSourcesOwnLaterWatermarksPassThroughUnchanged() throws Exception {
        try (var h = keeper()) {
            h.setProcessingTime(NOON);
            h.open();
            h.processElement("admitted", NOON - 5 * MINUTE);
            h.processWatermark(NOON - 6 * MINUTE - 1);
            h.processWatermark(NOON - 7 * MINUTE);
            h.processElement("discharged", NOON - 4 * MINUTE);
            h.processWatermark(NOON - 5 * MINUTE - 1);
            assertThat(h.extractOutputValues()).containsExactly("admitted", "discharged");
            assertThat(watermarks(h)).as("a watermark never goes back").containsExactly(NOON - 6 * MINUTE - 1, NOON - 5 * MINUTE - 1);
        }
    }

    @Test
    void afterAChangeOfParallelismTheLowestTimeIsKeptAndTheClockFollowedOnlyIfEverySubtaskWasCaughtUp() throws Exception {
        OperatorSubtaskState live;
        OperatorSubtaskState history;
        try (var h = keeper(2, 0)) {
            h.setProcessingTime(NOON);
            h.open();
            h.processWatermark(NOON - 11 * MINUTE - 1);
            live = h.snapshot(1, NOON);
        }
        try (var h = keeper(2, 1)) {
            h.setProcessingTime(NOON);
            h.open();
            h.processWatermark(NOON - 3 * DAY);
            history = h.snapshot(1, NOON);
        }
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(live, history);
        try (var h = keeper(1, 0)) {
            h.setup();
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 1, 2, 1, 0));
            h.setProcessingTime(NOON + HOUR);
            h.open();
            advance(h, 10 * MINUTE);
            assertThat(watermarks(h)).containsExactly(NOON - 3 * DAY);
        }
    }
}
