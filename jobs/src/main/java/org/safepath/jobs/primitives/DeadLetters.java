package org.safepath.jobs.primitives;

import org.apache.flink.util.OutputTag;
import org.safepath.connectors.kafka.DeadLetterRecord;

/** The side output every operator sends records it cannot apply to. */
public final class DeadLetters {
    public static final OutputTag<DeadLetterRecord> TAG = new OutputTag<>("dead-letters") {
    };

    private DeadLetters() {
    }
}
