package org.safepath.jobs.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The change instants give the earliest held and take out everything up to an instant, as a sorted list would. */
class ChangeInstantsTest {

    @Test
    void threeInstantsOneTwiceComeOutInOrder() {
        ChangeInstants c = new ChangeInstants();
        c.add(30);
        c.add(10);
        c.add(20);
        c.add(10);
        assertThat(c.earliest()).isEqualTo(10);
        c.removeUpTo(10);
        assertThat(c.earliest()).as("both tens gone").isEqualTo(20);
        c.removeUpTo(25);
        assertThat(c.earliest()).isEqualTo(30);
        c.removeUpTo(30);
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void randomAddsAndRemovalsMatchASortedList() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            ChangeInstants c = new ChangeInstants();
            List<Long> reference = new ArrayList<>();
            long now = 0;
            for (int op = 0; op < 400; op++) {
                if (random.nextInt(3) > 0) {
                    long t = now + 1 + random.nextInt(round % 2 == 0 ? 50 : 5_000);
                    c.add(t);
                    reference.add(t);
                } else {
                    now += random.nextInt(200);
                    c.removeUpTo(now);
                    long upTo = now;
                    reference.removeIf(t -> t <= upTo);
                }
                assertThat(c.size).isEqualTo(reference.size());
                if (!reference.isEmpty()) {
                    assertThat(c.earliest()).isEqualTo(Collections.min(reference));
                }
            }
        }
    }
}
