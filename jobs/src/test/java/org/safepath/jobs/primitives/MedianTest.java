package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Medians worked out by hand, and against sorting many random samples. */
class MedianTest {

    @Test
    void theMiddleValueOrTheMeanOfTheTwoMiddleValues() {
        assertThat(Median.of(new double[] {})).isEqualTo(0);
        assertThat(Median.of(new double[] {4})).isEqualTo(4);
        assertThat(Median.of(new double[] {9, 1, 5})).isEqualTo(5);
        assertThat(Median.of(new double[] {9, 1, 5, 2})).isEqualTo(3.5);
        assertThat(Median.of(new double[] {7, 7, 1, 7})).isEqualTo(7);
        assertThat(Median.of(new double[] {2.5, -1, 0.5, 10, 3, 2.5})).isEqualTo(2.5);
    }

    @Test
    void ofTheFirstValuesOnly() {
        double[] gathered = {9, 1, 5, 2, 100, -100};
        assertThat(Median.of(gathered, 3)).isEqualTo(5);
        assertThat(Median.of(gathered, 4)).isEqualTo(3.5);
        assertThat(Median.of(gathered, 0)).isEqualTo(0);
        assertThat(gathered).containsExactly(9, 1, 5, 2, 100, -100);
    }

    @Test
    void leavesItsInputAsItWas() {
        double[] sample = {3, 1, 2, 0};
        Median.of(sample);
        assertThat(sample).containsExactly(3, 1, 2, 0);
    }

    @Test
    void agreesWithSortingOnRandomSamplesWithRepeats() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + random.nextInt(round % 2 == 0 ? 12 : 3_000);
            double[] sample = new double[n];
            for (int i = 0; i < n; i++) {
                sample[i] = round % 3 == 0 ? random.nextInt(5) : random.nextDouble() * 1_000 - 100;
            }
            double[] sorted = sample.clone();
            Arrays.sort(sorted);
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            assertThat(Median.of(sample)).as("sample of %d, round %d", n, round).isEqualTo(expected);
        }
    }
}
