package org.safepath.jobs.primitives;

import org.apache.commons.math3.util.KthSelector;

/**
 * The median of a sample: the middle value, or the mean of the two middle values. Found by selection (Commons
 * Math's quickselect, linear time), not by sorting: an hourly history evaluates medians over a region's tens of
 * thousands of requests for every row every hour.
 */
public final class Median {
    private Median() {
    }

    public static double of(double[] values) {
        return of(values, values.length);
    }

    /** The median of the first {@code n} values (a sample gathered into a larger array); the array is left as it was. */
    public static double of(double[] values, int n) {
        if (n == 0) {
            return 0;
        }
        double[] work = java.util.Arrays.copyOf(values, n);
        int mid = n / 2;
        double upper = new KthSelector().select(work, null, mid);
        if (n % 2 == 1) {
            return upper;
        }
        // Selection leaves every value below index mid no greater than the one it put there: the largest of them is
        // the lower middle value.
        double lower = work[0];
        for (int i = 1; i < mid; i++) {
            lower = Math.max(lower, work[i]);
        }
        return (lower + upper) / 2;
    }
}
