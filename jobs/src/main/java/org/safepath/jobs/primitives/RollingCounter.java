package org.safepath.jobs.primitives;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts events in rolling windows without keeping the events: counts per bucket of {@code resolution}, a
 * bucket (e − r, e] held under its end e. The count in (T − W, T] is exact when T and W are whole buckets,
 * which is where the aggregator evaluates a model that uses one ({@link IndicatorModel#resolutionMillis}).
 * An event leaves a window of width W at {@code exitAt(t, W)}. A Flink POJO.
 */
public class RollingCounter {

    public long resolution;
    public Map<Long, Integer> buckets = new HashMap<>();

    public RollingCounter() {
    }

    public RollingCounter(long resolutionMillis) {
        this.resolution = resolutionMillis;
    }

    public static long roundUp(long t, long step) {
        return Math.floorDiv(t + step - 1, step) * step;
    }

    /** One event at t (or minus one, to take a correction back). */
    public void add(long t, int count) {
        buckets.merge(roundUp(t, resolution), count, Integer::sum);
        buckets.remove(roundUp(t, resolution), 0);
    }

    /** Events in (T − W, T]. */
    public long count(long t, long window) {
        long total = 0;
        for (Map.Entry<Long, Integer> b : buckets.entrySet()) {
            if (b.getKey() > t - window && b.getKey() <= t) {
                total += b.getValue();
            }
        }
        return total;
    }

    /** When an event at t stops counting in a window of width W. */
    public long exitAt(long t, long window) {
        return roundUp(t, resolution) + window;
    }

    /** Drops the buckets ending at or before {@code horizon}: events no window any more reaches back to. */
    public void forgetBefore(long horizon) {
        Iterator<Long> ends = buckets.keySet().iterator();
        while (ends.hasNext()) {
            if (ends.next() <= horizon) {
                ends.remove();
            }
        }
    }

    public boolean isEmpty() {
        return buckets.isEmpty();
    }
}
