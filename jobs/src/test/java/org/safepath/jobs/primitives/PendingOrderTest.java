package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Early values apply a key's provisional facts by time, then identity, whatever order the state gives them in. */
class PendingOrderTest {

    private static final Comparator<LiveIndicatorAggregator.Pending<String>> BY_TIME_THEN_IDENTITY =
            Comparator.<LiveIndicatorAggregator.Pending<String>>comparingLong(LiveIndicatorAggregator.Pending::time)
                    .thenComparing(LiveIndicatorAggregator.Pending::identity);

    @Test
    void aHandWorkedMinuteIsPutInOrder() {
        List<LiveIndicatorAggregator.Pending<String>> facts = new ArrayList<>(List.of(
                pending(1_000, "episode b"), pending(500, "episode z"), pending(1_000, "episode a"), pending(60_000, "episode c")));
        LiveIndicatorAggregator.Pending.sort(facts);
        assertThat(facts).extracting(LiveIndicatorAggregator.Pending::identity)
                .containsExactly("episode z", "episode a", "episode b", "episode c");
    }

    @Test
    void randomFactsComeOutAsAPlainSortPutsThem() {
        Random random = new Random(14);
        long now = 1_795_000_000_000L;
        for (int round = 0; round < 2_000; round++) {
            int n = random.nextInt(300);
            // A minute of facts (many at the same millisecond), or now and then a span too wide to pack.
            long span = round % 10 == 9 ? 100L * 86_400_000L : 60_000L;
            long bound = 1 + random.nextInt(4) * span / 3;
            List<LiveIndicatorAggregator.Pending<String>> facts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                facts.add(pending(now + Math.floorMod(random.nextLong(), bound), "id-" + random.nextInt(50) + "-" + i));
            }
            List<LiveIndicatorAggregator.Pending<String>> expected = new ArrayList<>(facts);
            expected.sort(BY_TIME_THEN_IDENTITY);
            LiveIndicatorAggregator.Pending.sort(facts);
            assertThat(facts).as("round %d", round).containsExactlyElementsOf(expected);
        }
    }

    private static LiveIndicatorAggregator.Pending<String> pending(long time, String identity) {
        return new LiveIndicatorAggregator.Pending<>(time, identity, identity);
    }
}
