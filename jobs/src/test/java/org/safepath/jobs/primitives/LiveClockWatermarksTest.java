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

    private static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
        }

        @Override
        public void markActive() {
        }
    }

    @Test
    void whileEventsFlowTheWatermarkIsTheirTimeLessTheOutOfOrdernessAndAQuietPartitionFollowsTheClock() {
        AtomicLong clock = new AtomicLong(NOON);
        LiveClockWatermarks<String> generator = new LiveClockWatermarks<>(Duration.ofMinutes(1), Duration.ofSeconds(30), clock::get);
        Recorder out = new Recorder();

        generator.onEvent("ready", NOON - 10 * 60_000L, out);
        clock.addAndGet(10_000);
        generator.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(NOON - 11 * 60_000L - 1);

        // Nothing for 30 seconds: nothing happened in the ward either, so time moves on with the clock.
        clock.addAndGet(30_000);
        generator.onPeriodicEmit(out);
        assertThat(out.watermarks.get(1)).isEqualTo(clock.get() - 60_000L - 1);

        // A late event does not move it back; the next on-time one carries it with the events again.
        generator.onEvent("late", NOON - 60 * 60_000L, out);
        generator.onPeriodicEmit(out);
        assertThat(out.watermarks.get(2)).isEqualTo(NOON - 11 * 60_000L - 1);
    }

    @Test
    void aBacklogBeingReadIsNeverOvertakenByTheClock() {
        AtomicLong clock = new AtomicLong(NOON);
        LiveClockWatermarks<String> generator = new LiveClockWatermarks<>(Duration.ofMinutes(1), Duration.ofSeconds(30), clock::get);
        Recorder out = new Recorder();
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(1_000);
            generator.onEvent("old", NOON - 30L * 86_400_000L + i * 60_000L, out);
            generator.onPeriodicEmit(out);
        }
        assertThat(out.watermarks).allMatch(w -> w < NOON - 29L * 86_400_000L);
    }
}
