package org.safepath.jobs.primitives;

import java.util.Arrays;

/** The median of a sample: the middle value, or the mean of the two middle values. */
public final class Median {
    private Median() {
    }

    public static double of(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
