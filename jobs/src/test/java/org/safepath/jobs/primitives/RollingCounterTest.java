package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Counting in (T − W, T] by minute buckets, worked out by hand. */
class RollingCounterTest {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    @Test
    void anEventCountsFromTheEndOfItsMinuteUntilTheWindowHasPassedThatMinute() {
        RollingCounter c = new RollingCounter(MINUTE);
        long t = 10 * HOUR + 30_000;           // 10:00:30, in the bucket (10:00, 10:01]
        c.add(t, 1);
        c.add(10 * HOUR + MINUTE, 1);          // 10:01:00 exactly: the same bucket's closed end
        assertThat(c.count(10 * HOUR, HOUR)).isZero();
        assertThat(c.count(10 * HOUR + MINUTE, HOUR)).isEqualTo(2);
        // A one-hour window ending at 11:01 is (10:01, 11:01]: both events sit on its open edge, out.
        assertThat(c.exitAt(t, HOUR)).isEqualTo(11 * HOUR + MINUTE);
        assertThat(c.count(11 * HOUR, HOUR)).isEqualTo(2);
        assertThat(c.count(11 * HOUR + MINUTE, HOUR)).isZero();
    }

    @Test
    void aCorrectionTakesACountBackAndForgettingDropsOnlyWhatNoWindowReaches() {
        RollingCounter c = new RollingCounter(MINUTE);
        c.add(5 * MINUTE, 1);
        c.add(5 * MINUTE, -1);
        assertThat(c.isEmpty()).as("a bucket back to zero is not kept").isTrue();
        c.add(5 * MINUTE, 1);
        c.add(50 * MINUTE, 1);
        c.forgetBefore(10 * MINUTE);
        assertThat(c.count(HOUR, 2 * HOUR)).isEqualTo(1);
        c.forgetBefore(HOUR);
        assertThat(c.isEmpty()).isTrue();
    }
}
